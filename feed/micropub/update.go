package micropub

import (
	"encoding/json"
	"net/http"
	"slices"
)

// updateOps are the changes of a JSON update request (Micropub,
// "Update"): whole properties replaced, values added, and properties or single
// values deleted.
type updateOps struct {
	replace      properties
	add          properties
	deleteNames  []string
	deleteValues properties
}

// parseUpdate reads the changes of an update; each must be an object of
// arrays, except delete, which may also be an array of property names.
func parseUpdate(jr jsonRequest) (updateOps, error) {
	var ops updateOps
	var err error
	if ops.replace, err = decodeProperties("replace", jr.Replace); err != nil {
		return ops, err
	}
	if ops.add, err = decodeProperties("add", jr.Add); err != nil {
		return ops, err
	}
	if len(jr.Delete) > 0 && string(jr.Delete) != "null" {
		var byValue map[string]json.RawMessage
		switch {
		case json.Unmarshal(jr.Delete, &ops.deleteNames) == nil:
		case json.Unmarshal(jr.Delete, &byValue) == nil:
			if ops.deleteValues, err = decodeProperties("delete", byValue); err != nil {
				return ops, err
			}
		default:
			return ops, invalidRequest("delete must be an array of property names or an object of values to remove")
		}
	}
	if len(ops.replace)+len(ops.add)+len(ops.deleteNames)+len(ops.deleteValues) == 0 {
		return ops, invalidRequest("an update needs replace, add or delete")
	}
	return ops, nil
}

// apply changes p in the order the Recommendation lists the operations:
// replace, add, delete.
func (ops updateOps) apply(p properties) {
	for name, values := range ops.replace {
		p[name] = slices.Clone(values)
	}
	for name, values := range ops.add {
		p[name] = append(p[name], values...)
	}
	for _, name := range ops.deleteNames {
		delete(p, name)
	}
	for name, remove := range ops.deleteValues {
		kept := slices.DeleteFunc(p[name], func(v any) bool {
			return slices.ContainsFunc(remove, func(r any) bool { return sameValue(v, r) })
		})
		if len(kept) == 0 {
			delete(p, name)
		} else {
			p[name] = kept
		}
	}
}

// sameValue compares property values; a photo stored as {"value", "alt"}
// matches its bare URL, which is how clients name it when deleting.
func sameValue(a, b any) bool {
	if ta, tb := valueText(a), valueText(b); ta != "" || tb != "" {
		return ta == tb
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// updatePost implements Micropub's "Update" section: the post's current entry is
// fetched, changed and stored whole. The answer is 204.
func (h *Handler) updatePost(w http.ResponseWriter, r *http.Request, scopes []string, req request) error {
	ctx := r.Context()
	if err := requireScope(scopes, ScopeUpdate); err != nil {
		return err
	}
	if req.url == "" {
		return invalidRequest("an update needs the url of the post")
	}
	current, kind, err := h.Publisher.Source(ctx, req.url)
	if err != nil {
		return publisherError("update: read source", req.url, err)
	}
	p := propertiesFromEntry(current)
	req.ops.apply(p)
	e, err := entryFromProperties(p, kind)
	if err != nil {
		return err
	}
	if err := requireContent(e, 0); err != nil {
		return err
	}
	if err := h.Publisher.Update(ctx, req.url, e); err != nil {
		return publisherError("update", req.url, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deletePost implements Micropub's "Delete" section, in form or JSON syntax. The
// answer is 204.
func (h *Handler) deletePost(w http.ResponseWriter, r *http.Request, scopes []string, req request) error {
	if err := requireScope(scopes, ScopeDelete); err != nil {
		return err
	}
	if req.url == "" {
		return invalidRequest("a delete needs the url of the post")
	}
	if err := h.Publisher.Delete(r.Context(), req.url); err != nil {
		return publisherError("delete", req.url, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
