// The peer's federation: one Person, "peer", set up the way Fedify's manual
// describes, with in-memory state the tests can read back.
import {
  createExponentialBackoffPolicy,
  createFederation,
  generateCryptoKeyPair,
  InProcessMessageQueue,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  getTypeId,
  isActor,
  Like,
  Note,
  Person,
  QuoteAuthorization,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";

export const identifier = "peer";
const logger = getLogger(["fedify-peer"]);

// typeName gives the short ActivityStreams name of a vocabulary object
// ("Note" for https://www.w3.org/ns/activitystreams#Note).
export function typeName(object) {
  const id = getTypeId(object).href;
  const cut = Math.max(id.lastIndexOf("#"), id.lastIndexOf("/"));
  return id.slice(cut + 1);
}

// createPeer builds the federation for the given public origin. The returned
// object carries the federation and the state the control endpoints report.
export async function createPeer(origin, { firstKnock } = {}) {
  const state = {
    // follower actor id -> the actor (it serves as a Fedify Recipient)
    followers: new Map(),
    // followed actor id -> { status: "pending" | "accepted" | "rejected", followId }
    following: new Map(),
    // every activity that reached a listener, oldest first
    received: [],
    // note id -> Note this peer published
    notes: new Map(),
    // follow id -> Follow this peer sent
    follows: new Map(),
    // QuoteRequest id -> { note, target, author, status, authorization }
    quotes: new Map(),
  };

  // Keys live only as long as the process: the tests start a fresh peer each
  // time. RSA is for HTTP and Linked Data signatures, Ed25519 for Object
  // Integrity Proofs.
  const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const ed25519 = await generateCryptoKeyPair("Ed25519");

  const federation = createFederation({
    kv: new MemoryKvStore(),
    // Deliveries and inbox work run in the background like a real
    // deployment's, so an inbox answers 202 before the listener runs.
    queue: new InProcessMessageQueue(),
    origin,
    firstKnock,
    // The test sites live on loopback; Fedify refuses private addresses
    // unless told otherwise.
    allowPrivateAddress: true,
    // Retries a test can wait for, instead of the default hours.
    outboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: 200 },
      maxDelay: { seconds: 2 },
      maxAttempts: 5,
    }),
    inboxRetryPolicy: createExponentialBackoffPolicy({
      initialDelay: { milliseconds: 200 },
      maxDelay: { seconds: 2 },
      maxAttempts: 3,
    }),
  });

  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, id) => {
      if (id !== identifier) return null;
      const keys = await ctx.getActorKeyPairs(id);
      return new Person({
        id: ctx.getActorUri(id),
        preferredUsername: id,
        name: "Fedify Peer",
        summary: "A Fedify server that roost's tests talk to.",
        url: ctx.getActorUri(id),
        inbox: ctx.getInboxUri(id),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        followers: ctx.getFollowersUri(id),
        following: ctx.getFollowingUri(id),
        publicKey: keys[0].cryptographicKey,
        assertionMethods: keys.map((key) => key.multikey),
      });
    })
    // WebFinger's acct:peer@host names the actor whose identifier is "peer".
    .mapHandle((_ctx, username) => (username === identifier ? identifier : null))
    .setKeyPairsDispatcher((_ctx, id) => (id === identifier ? [rsa, ed25519] : []));

  federation
    .setFollowersDispatcher("/users/{identifier}/followers", (_ctx, id) => {
      if (id !== identifier) return null;
      return { items: [...state.followers.values()] };
    })
    .setCounter((_ctx, id) => (id === identifier ? state.followers.size : null));

  federation
    .setFollowingDispatcher("/users/{identifier}/following", (_ctx, id) => {
      if (id !== identifier) return null;
      const accepted = [...state.following.entries()].filter(([, f]) => f.status === "accepted");
      return { items: accepted.map(([actorId]) => new URL(actorId)) };
    })
    .setCounter((_ctx, id) => (id === identifier ? countAccepted(state) : null));

  // Notes and Follows this peer made can be dereferenced, as peers may fetch
  // an object they only got by reference.
  federation.setObjectDispatcher(Note, "/notes/{id}", (ctx, { id }) =>
    state.notes.get(ctx.getObjectUri(Note, { id }).href) ?? null,
  );
  federation.setObjectDispatcher(Follow, "/follows/{id}", (ctx, { id }) =>
    state.follows.get(ctx.getObjectUri(Follow, { id }).href) ?? null,
  );

  setInboxListeners(federation, state);
  return { federation, state, origin };
}

function countAccepted(state) {
  return [...state.following.values()].filter((f) => f.status === "accepted").length;
}

function setInboxListeners(federation, state) {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      await record(ctx, state, follow);
      if (follow.id == null || follow.actorId == null || follow.objectId == null) return;
      const target = ctx.parseUri(follow.objectId);
      if (target?.type !== "actor" || target.identifier !== identifier) return;
      const follower = await follow.getActor(ctx);
      if (!isActor(follower) || follower.id == null) {
        logger.warn("Follow {id}: could not fetch the follower {actor}", {
          id: follow.id.href,
          actor: follow.actorId.href,
        });
        return;
      }
      state.followers.set(follower.id.href, follower);
      await ctx.sendActivity(
        { identifier },
        follower,
        new Accept({
          id: new URL(`/accepts/${crypto.randomUUID()}`, ctx.origin),
          actor: ctx.getActorUri(identifier),
          object: follow,
        }),
      );
    })
    .on(Accept, async (ctx, accept) => {
      const isQuote = state.quotes.has(accept.objectId?.href);
      await record(ctx, state, accept, { fetch: !isQuote });
      if (isQuote) return settleQuote(ctx, state, accept, "accepted");
      settleFollow(state, accept, "accepted");
    })
    .on(Reject, async (ctx, reject) => {
      const isQuote = state.quotes.has(reject.objectId?.href);
      await record(ctx, state, reject, { fetch: !isQuote });
      if (isQuote) return settleQuote(ctx, state, reject, "rejected");
      settleFollow(state, reject, "rejected");
    })
    .on(Undo, async (ctx, undo) => {
      const object = await record(ctx, state, undo);
      // Only the follower itself may take its follow back.
      if (object instanceof Follow && undo.actorId != null && object.actorId?.href === undo.actorId.href) {
        state.followers.delete(undo.actorId.href);
      }
    })
    .on(Create, (ctx, create) => record(ctx, state, create))
    .on(Update, (ctx, update) => record(ctx, state, update))
    .on(Delete, (ctx, del) => record(ctx, state, del, { fetch: false }))
    .on(Like, (ctx, like) => record(ctx, state, like, { fetch: false }))
    .on(Announce, (ctx, announce) => record(ctx, state, announce, { fetch: false }))
    // Anything else (Block, Move, Add, ...) is still worth showing the tests.
    .on(Activity, (ctx, activity) => record(ctx, state, activity, { fetch: false }))
    .onError((_ctx, error) => {
      logger.error("inbox listener failed: {error}", { error });
    });
}

// settleFollow marks the peer's follow as accepted or rejected when the
// answer names the Follow this peer sent to that very actor. Mastodon and
// Fedify embed the Follow; others send its id alone. Either way the id must
// be the one we minted.
function settleFollow(state, answer, status) {
  const followId = answer.objectId?.href;
  const actorId = answer.actorId?.href;
  for (const [target, follow] of state.following) {
    if (follow.followId !== followId) continue;
    if (target !== actorId) {
      logger.warn("{type} of {follow} came from {actor}, not from the followed {target}", {
        type: typeName(answer),
        follow: followId,
        actor: actorId,
        target,
      });
      return;
    }
    follow.status = status;
    return;
  }
  logger.warn("{type} names {follow}, which is no follow this peer sent", {
    type: typeName(answer),
    follow: followId,
  });
}

// settleQuote records the answer to one of the peer's QuoteRequests. It
// comes from the quoted author; an Accept's result is the
// QuoteAuthorization, fetched from where it lives and believed only when
// it names the quoting note and the quoted post.
async function settleQuote(ctx, state, answer, status) {
  const quote = state.quotes.get(answer.objectId.href);
  if (answer.actorId?.href !== quote.author) {
    logger.warn("answer to {request} came from {actor}, not the quoted author", { request: answer.objectId.href, actor: answer.actorId?.href });
    return;
  }
  if (status === "rejected") {
    quote.status = "rejected";
    return;
  }
  let stamp = null;
  try {
    stamp = await answer.getResult(ctx);
  } catch (error) {
    logger.warn("could not fetch the authorization {result}: {error}", { result: answer.resultId?.href, error });
  }
  if (!(stamp instanceof QuoteAuthorization) || stamp.interactingObjectId?.href !== quote.note ||
    stamp.interactionTargetId?.href !== quote.target || stamp.attributionId?.href !== quote.author) {
    logger.warn("the authorization {result} does not authorize {note}", { result: answer.resultId?.href, note: quote.note });
    quote.status = "unauthorized";
    return;
  }
  quote.status = "accepted";
  quote.authorization = stamp.id.href;
  const note = state.notes.get(quote.note);
  state.notes.set(quote.note, note.clone({ quoteAuthorization: stamp.id }));
}

// record appends the activity to state.received and returns its object. The
// object is taken from the activity when it is embedded and from the same
// origin (Fedify only trusts it then); otherwise, if fetch is set, Fedify
// dereferences it.
async function record(ctx, state, activity, { fetch = true } = {}) {
  let object = null;
  if (fetch) {
    try {
      object = await activity.getObject(ctx);
    } catch (error) {
      logger.warn("{type} {id}: could not get the object {object}: {error}", {
        type: typeName(activity),
        id: activity.id?.href,
        object: activity.objectId?.href,
        error,
      });
    }
  }
  state.received.push({
    type: typeName(activity),
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    object: describe(object, activity.objectId),
  });
  return object;
}

function describe(object, objectId) {
  if (object == null) return { id: objectId?.href ?? null };
  return {
    id: object.id?.href ?? objectId?.href ?? null,
    type: typeName(object),
    content: object.content == null ? null : String(object.content),
    name: object.name == null ? null : String(object.name),
    attributedTo: object.attributionId?.href ?? null,
  };
}
