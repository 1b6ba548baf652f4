// Host mapping for outgoing requests. The tests give every site a made-up
// name (alice.test, peer.test) that no DNS resolves, and run it on a loopback
// port. Rewriting URLs would break HTTP signatures, which cover the Host
// header and the target URI, so instead the connection itself is dialled to
// the mapped address while the request keeps its real URL and Host header.
import { Agent, buildConnector, setGlobalDispatcher } from "undici";

// parseHostMap reads "alice.test=127.0.0.1:40001,bob.test=127.0.0.1:40002".
// A name may carry a port ("alice.test:8080=...") to map only that port.
export function parseHostMap(spec) {
  const map = new Map();
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf("=");
    if (eq < 0) throw new Error(`parse hosts: ${JSON.stringify(entry)} is not name=address:port`);
    const name = entry.slice(0, eq).toLowerCase();
    const target = new URL(`http://${entry.slice(eq + 1)}`);
    if (target.port === "") throw new Error(`parse hosts: ${JSON.stringify(entry)} has no port`);
    map.set(name, { host: target.hostname, port: Number(target.port) });
  }
  return map;
}

// installHostMap makes every fetch in this process (Node's built-in fetch
// reads undici's global dispatcher) dial mapped names at their loopback
// address. Unmapped names are dialled as usual.
export function installHostMap(map) {
  const connect = buildConnector({});
  const agent = new Agent({
    connect(options, callback) {
      const defaultPort = options.protocol === "https:" ? 443 : 80;
      const port = options.port === "" || options.port == null ? defaultPort : Number(options.port);
      const name = options.hostname.toLowerCase();
      const target = map.get(`${name}:${port}`) ?? map.get(name);
      if (target == null) return connect(options, callback);
      return connect({ ...options, hostname: target.host, port: target.port }, callback);
    },
  });
  setGlobalDispatcher(agent);
}
