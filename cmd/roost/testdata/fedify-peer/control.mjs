// Control endpoints for the tests, under /_test/. They are no part of
// ActivityPub: they let a Go test read what the peer received and make it
// follow or post, through the same Fedify calls an application would use.
import { verifyObject } from "@fedify/fedify";
import { Activity, Create, Follow, isActor, Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { parseHostMap } from "./hosts.mjs";
import { identifier } from "./peer.mjs";

// handleControl answers one control request with { status, json }.
//
//   GET  /_test/health  -> {"ok": true}
//   GET  /_test/state   -> {followers, following, received}
//   POST /_test/follow  {"actor": url}    -> {"follow": id}
//   POST /_test/post    {"content": html} -> {"id": note id, "create": activity id}
//   POST /_test/reply   {"content": html, "inReplyTo": url, "to": actor url} -> {"id", "create"}
//   POST /_test/verify  {"document": activity} -> {"verified": bool, "error"?}
//   POST /_test/hosts   {"alice.test": "127.0.0.1:40001"} -> {"ok": true}
//
// /_test/hosts adds host names to dial, for sites started after the peer.
export async function handleControl(peer, method, path, body) {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case "GET /_test/health":
        return ok({ ok: true });
      case "GET /_test/state":
        return ok(snapshot(peer.state));
      case "POST /_test/follow":
        return ok(await follow(peer, parseJson(body)));
      case "POST /_test/post":
        return ok(await post(peer, parseJson(body)));
      case "POST /_test/reply":
        return ok(await reply(peer, parseJson(body)));
      case "POST /_test/verify":
        return ok(await verify(peer, parseJson(body)));
      case "POST /_test/hosts":
        addHosts(peer, parseJson(body));
        return ok({ ok: true });
      default:
        return { status: 404, json: { error: `no control endpoint ${route}` } };
    }
  } catch (error) {
    console.error(`fedify-peer: ${route}:`, error);
    return { status: error.status ?? 502, json: { error: String(error?.message ?? error) } };
  }
}

function ok(json) {
  return { status: 200, json };
}

class RequestError extends Error {
  status = 400;
}

function parseJson(body) {
  try {
    return JSON.parse(body.toString("utf8") || "{}");
  } catch (error) {
    throw new RequestError(`bad JSON body: ${error.message}`);
  }
}

function addHosts(peer, hosts) {
  const spec = Object.entries(hosts).map(([name, addr]) => `${name}=${addr}`).join(",");
  let parsed;
  try {
    parsed = parseHostMap(spec);
  } catch (error) {
    throw new RequestError(error.message);
  }
  for (const [name, target] of parsed) peer.hostMap.set(name, target);
}

function snapshot(state) {
  const following = {};
  for (const [actorId, f] of state.following) following[actorId] = f.status;
  return {
    followers: [...state.followers.keys()],
    following,
    received: state.received,
  };
}

// follow looks the actor up the way Fedify applications do and sends it a
// Follow. The delivery is immediate, so a refused signature or an unreachable
// inbox fails this request rather than a retry in the background.
async function follow(peer, { actor }) {
  if (typeof actor !== "string") throw new RequestError(`"actor" must be a URL string`);
  const ctx = peer.federation.createContext(new URL(peer.origin), undefined);
  const target = await ctx.lookupObject(actor);
  if (!isActor(target) || target.id == null) {
    throw new Error(`follow: ${actor} did not dereference to an actor (got ${target?.constructor?.name ?? "nothing"})`);
  }
  const followId = ctx.getObjectUri(Follow, { id: crypto.randomUUID() });
  const activity = new Follow({
    id: followId,
    actor: ctx.getActorUri(identifier),
    object: target.id,
    to: target.id,
  });
  peer.state.follows.set(followId.href, activity);
  peer.state.following.set(target.id.href, { status: "pending", followId: followId.href });
  await ctx.sendActivity({ identifier }, target, activity, { immediate: true });
  return { follow: followId.href };
}

// post publishes a public Note to the peer's followers.
async function post(peer, { content }) {
  if (typeof content !== "string") throw new RequestError(`"content" must be an HTML string`);
  const ctx = peer.federation.createContext(new URL(peer.origin), undefined);
  const noteId = ctx.getObjectUri(Note, { id: crypto.randomUUID() });
  const actor = ctx.getActorUri(identifier);
  const followers = ctx.getFollowersUri(identifier);
  const published = Temporal.Now.instant();
  const note = new Note({
    id: noteId,
    attribution: actor,
    content,
    to: PUBLIC_COLLECTION,
    cc: followers,
    url: noteId,
    published,
  });
  peer.state.notes.set(noteId.href, note);
  const create = new Create({
    id: new URL(`${noteId.href}/activity`),
    actor,
    object: note,
    to: PUBLIC_COLLECTION,
    cc: followers,
    published,
  });
  await ctx.sendActivity({ identifier }, "followers", create, { immediate: true });
  return { id: noteId.href, create: create.id.href };
}

// reply publishes a public reply to a post, mentioning its author and
// delivered to the author alone (as Mastodon addresses a reply to someone
// the replier's followers do not follow). Fedify signs it with an Object
// Integrity Proof, as the actor has an Ed25519 key.
async function reply(peer, { content, inReplyTo, to }) {
  if (typeof content !== "string" || typeof inReplyTo !== "string" || typeof to !== "string") {
    throw new RequestError(`"content", "inReplyTo" and "to" must be strings`);
  }
  const ctx = peer.federation.createContext(new URL(peer.origin), undefined);
  const author = await ctx.lookupObject(to);
  if (!isActor(author) || author.id == null) throw new Error(`reply: ${to} is not an actor`);
  const noteId = ctx.getObjectUri(Note, { id: crypto.randomUUID() });
  const actor = ctx.getActorUri(identifier);
  const ccs = [ctx.getFollowersUri(identifier), author.id];
  const published = Temporal.Now.instant();
  const note = new Note({
    id: noteId,
    attribution: actor,
    content,
    replyTarget: new URL(inReplyTo),
    tags: [new Mention({ href: author.id })],
    to: PUBLIC_COLLECTION,
    ccs,
    url: noteId,
    published,
  });
  peer.state.notes.set(noteId.href, note);
  const create = new Create({ id: new URL(`${noteId.href}/activity`), actor, object: note, to: PUBLIC_COLLECTION, ccs, published });
  await ctx.sendActivity({ identifier }, author, create, { immediate: true });
  return { id: noteId.href, create: create.id.href };
}

// verify checks a document's Object Integrity Proofs the way Fedify's inbox
// does: every proof verifies with the key its verificationMethod names, and
// the keys' controllers are the activity's actors.
async function verify(peer, { document }) {
  const ctx = peer.federation.createContext(new URL(peer.origin), undefined);
  try {
    const activity = await verifyObject(Activity, document, {
      documentLoader: ctx.documentLoader,
      contextLoader: ctx.contextLoader,
    });
    return { verified: activity != null };
  } catch (error) {
    return { verified: false, error: String(error?.message ?? error) };
  }
}
