package federation

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"

	"roost/federation/vocab"
)

// ProfileChanged tells followers that the owner's profile changed (an Update
// of the actor), so their servers refresh name, avatar and fields.
func (s *Service) ProfileChanged(ctx context.Context) {
	actor, err := s.ownerActor(ctx)
	if err != nil {
		slog.Error("profile update", "err", err)
		return
	}
	doc, err := vocab.MarshalActor(actor)
	if err != nil {
		slog.Error("profile update", "err", err)
		return
	}
	now := s.now()
	act := vocab.OutActivity{
		ID: s.ActorID() + "#update-" + strconv.FormatInt(now.UnixNano(), 36), Type: vocab.TypeUpdate,
		Actor: s.ActorID(), Object: json.RawMessage(doc), To: []string{vocab.Public}, Cc: []string{s.FollowersURL()},
		Published: now,
	}
	if err := s.publishAlone(ctx, act, Audience{Followers: true}); err != nil {
		slog.Error("profile update", "err", err)
	}
}
