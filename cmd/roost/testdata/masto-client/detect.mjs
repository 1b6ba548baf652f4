// Asks megalodon, the client library of Whalebird and Fedistar, which kind
// of server a site is, as those apps do before they let a person sign in.
//
// The Go test TestMegalodonDetectsMastodon runs this script with the site's
// loopback address in HTTP_PROXY: megalodon fetches with axios over Node's
// http module, which the undici mapping of hosts.mjs does not reach, and a
// proxy keeps the site's own URL in every request.
//
// Usage: node detect.mjs --base http://alice.test
// It prints {"sns": "..."} or {"error": "..."} on one line.
import { parseArgs } from "node:util";
import { detector } from "megalodon";

const { values: args } = parseArgs({ options: { base: { type: "string" } } });
try {
  console.log(JSON.stringify({ sns: await detector(args.base) }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err?.message ?? err) }));
}
