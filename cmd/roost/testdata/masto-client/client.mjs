// Drives a roost site through masto, the JavaScript Mastodon client library.
//
// The Go test TestMastoJSClient runs this script. It speaks a line protocol:
// the script prints one JSON object per line on stdout ({"event": ...}) for
// what it saw, and reads one JSON object per line on stdin for what the test
// did on the other site. Anything on stderr is a log for a failing test.
//
// Usage: node client.mjs --base http://bob.test --hosts bob.test=127.0.0.1:PORT,...
//                        --username bob.test --follow @alice.test
// The owner's password comes in the ROOST_PASSWORD environment variable.
import { createECDH, randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { deflateSync } from "node:zlib";
import { WebSocket } from "undici";
import { mapHosts, parseHosts } from "./hosts.mjs";

// masto 8 is built for Node 22, which has these two; Node 20 does not.
// WebSocket must be global: masto compares readyState with WebSocket.OPEN.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
globalThis.WebSocket ??= WebSocket;
const { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } = await import("masto");

const SCRIPT_TIMEOUT = 55_000; // ms; the Go test allows 60 s
const POLL_TIMEOUT = 20_000; // ms to wait for federation to deliver something

const { values: args } = parseArgs({
  options: {
    base: { type: "string" },
    hosts: { type: "string", default: "" },
    username: { type: "string" },
    follow: { type: "string" },
  },
});
const password = process.env.ROOST_PASSWORD;

function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ ...fields, event }) + "\n");
}

const fromTest = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// waitForTest blocks until the test writes the line {"event": event, ...}.
async function waitForTest(event) {
  for (;;) {
    const { value, done } = await fromTest.next();
    if (done) throw new Error(`the test closed stdin while the script waited for ${event}`);
    const msg = JSON.parse(value);
    if (msg.event === event) return msg;
    console.error("ignored message from the test:", value);
  }
}

// poll calls fn until it returns something truthy.
async function poll(what, fn, timeout = POLL_TIMEOUT) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const got = await fn();
    if (got) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// tinyPNG is a 2x2 red PNG, built by hand so the script needs no image library.
function tinyPNG() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const body = Buffer.concat([Buffer.from(kind, "ascii"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.from([0, 0xff, 0, 0, 0xff, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat([row, row]))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function main() {
  mapHosts(parseHosts(args.hosts));
  const scopes = "read write follow push";

  const anonymous = createRestAPIClient({ url: args.base, timeout: 20_000 });
  const app = await anonymous.v1.apps.create({
    clientName: "roost test (masto)",
    redirectUris: "urn:ietf:wg:oauth:2.0:oob",
    scopes,
  });
  const oauth = createOAuthAPIClient({ url: args.base, timeout: 20_000 });
  const token = await oauth.token.create({
    grantType: "password",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: "urn:ietf:wg:oauth:2.0:oob",
    username: args.username,
    password,
    scope: scopes,
  });
  const rest = createRestAPIClient({ url: args.base, accessToken: token.accessToken, timeout: 20_000 });
  const me = await rest.v1.accounts.verifyCredentials();
  const instance = await rest.v2.instance.fetch();
  emit("login", { acct: me.acct, username: me.username, version: instance.version });

  // The stream opens before the post so that the post's update reaches it.
  // It is the one the server announces, as an app would find it.
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: token.accessToken,
    retry: 3,
  });
  const seen = { updates: new Map(), edits: new Map(), deletes: [], notifications: [] };
  const subscription = streaming.user.subscribe();
  const streamDone = (async () => {
    for await (const e of subscription) {
      if (e.event === "update") seen.updates.set(e.payload.id, e.payload.content);
      if (e.event === "update") multiplexed.user.add(e.payload.id);
      if (e.event === "status.update") seen.edits.set(e.payload.id, e.payload.content);
      if (e.event === "delete") seen.deletes.push(e.payload);
      if (e.event === "notification") seen.notifications.push(e.payload.type);
    }
  })().catch((err) => console.error("stream:", err));
  // Apps such as Elk and Phanpy multiplex streams on one socket: the same
  // status must reach each subscription that matches it.
  const multiplexed = { user: new Set(), hashtag: new Set(), public: new Set() };
  for (const [name, sub] of [["hashtag", streaming.hashtag.subscribe({ tag: "roostdaily" })], ["public", streaming.public.subscribe()]]) {
    (async () => {
      for await (const e of sub) if (e.event === "update") multiplexed[name].add(e.payload.id);
    })().catch((err) => console.error("stream:", name, err));
  }
  // Mastodon does not confirm a subscription; give it a moment to arrive.
  await new Promise((r) => setTimeout(r, 300));

  const media = await rest.v2.media.create({
    file: new Blob([tinyPNG()], { type: "image/png" }),
    description: "a red square",
  });
  const status = await rest.v1.statuses.create({
    status: "Hello from masto, with a red square",
    mediaIds: [media.id],
  });
  emit("posted", {
    id: status.id,
    uri: status.uri,
    content: status.content,
    media: status.mediaAttachments.map((m) => ({ type: m.type, url: m.url, description: m.description })),
  });

  const home = await rest.v1.timelines.home.list({ limit: 20 });
  emit("home", { ids: home.map((s) => s.id) });

  // Follow the other site's owner, found by what a person would type.
  const found = await rest.v2.search.list({ q: args.follow, resolve: true, type: "accounts" });
  if (found.accounts.length === 0) throw new Error(`search found no account for ${args.follow}`);
  const target = found.accounts[0];
  await rest.v1.accounts.$select(target.id).follow();
  const [rel] = await poll("the follow to be accepted", async () => {
    const rels = await rest.v1.accounts.relationships.fetch({ id: [target.id] });
    return rels.some((r) => r.following) ? rels : null;
  });
  emit("followed", { acct: target.acct, account_id: target.id, following: rel.following, requested: rel.requested });

  // Mention autocomplete: the first letters of the followed handle; and
  // full-text search for the words of the client's own post.
  const prefix = args.follow.replace(/^@/, "").slice(0, 3);
  const accounts = await rest.v1.accounts.search.list({ q: prefix, limit: 5 });
  const { statuses } = await rest.v2.search.list({ q: "red square", type: "statuses" });
  emit("searched", { accts: accounts.map((a) => a.acct), status_ids: statuses.map((s) => s.id) });

  // What apps do every day: a direct message listed as a conversation, a
  // push subscription (keys made as a browser makes them), a followed
  // hashtag, a filter keyword, and the avatar as an image a phone can show.
  const dm = await rest.v1.statuses.create({ status: `@${target.acct} psst, just us`, visibility: "direct" });
  const conversation = await poll("the direct message as a conversation", async () => {
    const list = await rest.v1.conversations.list();
    return list.find((c) => c.lastStatus?.id === dm.id) ?? null;
  });
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const sub = await rest.v1.push.subscription.create({
    subscription: {
      endpoint: "http://127.0.0.1:9/push",
      keys: { p256dh: ecdh.getPublicKey("base64url"), auth: randomBytes(16).toString("base64url") },
    },
    data: { alerts: { mention: true } },
  });
  await rest.v1.tags.$select("roostdaily").follow();
  const tags = await rest.v1.followedTags.list();
  const filter = await rest.v2.filters.create({ title: "spoilers", context: ["home"] });
  await rest.v2.filters.$select(filter.id).keywords.create({ keyword: "spoiler" });
  const keywords = await rest.v2.filters.$select(filter.id).keywords.list();
  const avatar = await fetch(me.avatar);
  const tagged = await rest.v1.statuses.create({ status: "A daily #roostdaily post" });
  const streams = await poll("the tagged post on the user, hashtag and public streams", async () => {
    const on = Object.entries(multiplexed).filter(([, ids]) => ids.has(tagged.id)).map(([name]) => name);
    return on.length === 3 ? on : null;
  }).catch(() => Object.entries(multiplexed).filter(([, ids]) => ids.has(tagged.id)).map(([name]) => name));
  emit("daily", {
    conversation: conversation != null,
    server_key: sub.serverKey,
    vapid_key: instance.configuration.vapid.publicKey,
    avatar_type: avatar.headers.get("content-type") ?? "",
    followed_tags: tags.map((t) => t.name),
    filter_keywords: keywords.map((k) => k.keyword),
    multiplexed: streams,
  });

  const note = await waitForTest("alice_posted");
  const arrived = await poll("the followed account's post in the home timeline", async () => {
    const timeline = await rest.v1.timelines.home.list({ limit: 40 });
    return timeline.find((s) => s.content.includes(note.text));
  });
  emit("arrived", { id: arrived.id, uri: arrived.uri, content: arrived.content, acct: arrived.account.acct });

  const fav = await rest.v1.statuses.$select(arrived.id).favourite();
  const boost = await rest.v1.statuses.$select(arrived.id).reblog();
  const again = await rest.v1.statuses.$select(arrived.id).fetch();
  emit("reacted", {
    favourited: fav.favourited,
    reblog_of: boost.reblog?.id,
    status_favourited: again.favourited,
    status_reblogged: again.reblogged,
    favourites_count: again.favouritesCount,
    reblogs_count: again.reblogsCount,
  });

  const reply = await rest.v1.statuses.create({
    status: `@${arrived.account.acct} A reply from masto`,
    inReplyToId: arrived.id,
  });
  emit("replied", { id: reply.id, uri: reply.uri, content: reply.content, in_reply_to_id: reply.inReplyToId });

  await waitForTest("alice_liked");
  const notes = await poll("a favourite notification", async () => {
    const list = await rest.v1.notifications.list({ types: ["favourite"] });
    const mine = list.filter((n) => n.status?.id === reply.id);
    return mine.length > 0 ? mine : null;
  });
  emit("notified", { type: notes[0].type, acct: notes[0].account.acct, status_id: notes[0].status.id });

  const edited = await rest.v1.statuses.$select(status.id).update({ status: "Edited by masto" });
  const fetched = await rest.v1.statuses.$select(status.id).fetch();
  emit("edited", { id: edited.id, content: edited.content, fetched: fetched.content });

  await rest.v1.statuses.$select(reply.id).remove();
  let code = 200;
  try {
    await rest.v1.statuses.$select(reply.id).fetch();
  } catch (err) {
    code = err.statusCode ?? 0;
  }
  emit("deleted", { id: reply.id, status: code });

  // Everything above also reached the stream opened at the start.
  const sawAll = () =>
    seen.updates.has(status.id) &&
    seen.updates.has(arrived.id) &&
    seen.edits.has(status.id) &&
    seen.deletes.includes(reply.id) &&
    seen.notifications.includes("favourite");
  await poll("the user stream", sawAll).catch((err) => console.error(err.message)); // the test says what is missing
  subscription.unsubscribe();
  streaming.close();
  await Promise.race([streamDone, new Promise((r) => setTimeout(r, 1000))]);
  const pairs = (m) => [...m].map(([id, content]) => ({ id, content }));
  emit("streamed", {
    updates: pairs(seen.updates),
    edits: pairs(seen.edits),
    deletes: seen.deletes,
    notifications: seen.notifications,
  });
  emit("done");
}

// Nothing may hang the test: give up well before the Go side does.
setTimeout(() => {
  console.error(`gave up after ${SCRIPT_TIMEOUT} ms`);
  process.exit(3);
}, SCRIPT_TIMEOUT).unref();

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error("error:", err);
  process.exit(1);
}
