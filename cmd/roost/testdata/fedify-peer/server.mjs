// A small ActivityPub server built on the Fedify library. roost's tests run it
// as a peer that nobody on the roost project wrote: it follows roost actors,
// accepts their follows, posts notes to its followers and records everything
// it receives, so the tests can check what a real Fedify server made of
// roost's traffic.
//
// Usage:
//
//   node server.mjs --port 34567 --origin http://peer.test \
//     --hosts alice.test=127.0.0.1:40001,bob.test=127.0.0.1:40002
//
// The public origin is what peers see; --hosts tells this process where the
// test's made-up host names really listen, because no DNS knows them.
//
// Besides ActivityPub the server answers a few control endpoints for the
// tests, all under /_test/ (see control.mjs).

// Fedify 2 targets Node 22 and uses the Temporal API. On older Node the
// polyfill must be global before Fedify's modules are evaluated, hence the
// dynamic imports below. Node 20 also lacks the global navigator (Node 21+),
// which Fedify reads to detect Cloudflare Workers when importing keys.
import { Temporal } from "@js-temporal/polyfill";
globalThis.Temporal ??= Temporal;
globalThis.navigator ??= { userAgent: `Node.js/${process.versions.node}` };

const { parseArgs } = await import("node:util");
const { createServer } = await import("node:http");
const { setupLogging } = await import("./logging.mjs");
const { installHostMap, parseHostMap } = await import("./hosts.mjs");
const { createPeer } = await import("./peer.mjs");
const { handleControl } = await import("./control.mjs");

const { values: args } = parseArgs({
  options: {
    port: { type: "string" },
    origin: { type: "string" },
    hosts: { type: "string", default: "" },
    "log-level": { type: "string", default: "warning" },
    // Which HTTP signature scheme to try first when delivering; Fedify's
    // default is "rfc9421", falling back to "draft-cavage-http-signatures-12".
    "first-knock": { type: "string" },
  },
});
if (args.port == null || args.origin == null) {
  process.stderr.write(
    "usage: node server.mjs --port N --origin http://peer.test [--hosts name=127.0.0.1:port,...]\n" +
      "  [--log-level debug] [--first-knock rfc9421|draft-cavage-http-signatures-12]\n",
  );
  process.exit(2);
}
const port = Number.parseInt(args.port, 10);
const origin = new URL(args.origin).origin;

await setupLogging(args["log-level"]);

// The peer must also reach itself under its public name: Fedify dereferences
// its own Follow when a peer accepts it by reference.
const hostMap = parseHostMap(args.hosts);
hostMap.set(new URL(origin).host, { host: "127.0.0.1", port });
installHostMap(hostMap);

const peer = await createPeer(origin, { firstKnock: args["first-knock"] });
peer.hostMap = hostMap;

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname.startsWith("/_test/")) {
      const body = await readBody(req);
      const { status, json } = await handleControl(peer, req.method, url.pathname, body);
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
      return;
    }
    const response = await peer.federation.fetch(await toRequest(req, url), {
      contextData: undefined,
    });
    await writeResponse(res, response);
  } catch (error) {
    console.error(`fedify-peer: ${req.method} ${req.url}:`, error);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
    res.end("internal error\n");
  }
});

// readBody collects the whole request body; test traffic is small.
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// toRequest turns a Node request into the fetch Request Fedify expects. The
// URL is rebuilt on the public origin, not the loopback address the socket
// saw, so that actor ids and the signed @target-uri / (request-target) match
// what the sender signed.
async function toRequest(req, url) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  const method = req.method ?? "GET";
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
  return new Request(url, { method, headers, body });
}

async function writeResponse(res, response) {
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, response.statusText, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`fedify-peer listening on 127.0.0.1:${port} as ${origin}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
