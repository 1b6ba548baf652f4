// Name mapping for this process's connections. The test sites have made-up
// names (alice.test, bob.test) that no DNS resolves, each on a loopback port.
// A real app reaches a server by its name and follows the URLs the server
// hands out (the streaming URL in the instance document), so rather than
// rewriting URLs, the connection to a mapped name is dialled to its loopback
// address while the URL and Host header stay as they are.
import { Agent, buildConnector, setGlobalDispatcher } from "undici";

// parseHosts reads "alice.test=127.0.0.1:40001,bob.test=127.0.0.1:40002"
// into a Map from name to {host, port}.
export function parseHosts(spec) {
  const hosts = new Map();
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [name, addr] = entry.split("=");
    const target = new URL(`http://${addr}`);
    if (name == null || target.port === "") throw new Error(`parse hosts: ${JSON.stringify(entry)} is not name=address:port`);
    hosts.set(name.toLowerCase(), { host: target.hostname, port: Number(target.port) });
  }
  return hosts;
}

// mapHosts installs the mapping for fetch and WebSocket, which both use
// undici's global dispatcher. Only port 80 of a mapped name is redirected.
export function mapHosts(hosts) {
  const connect = buildConnector({});
  setGlobalDispatcher(
    new Agent({
      connect(options, callback) {
        const port = options.port === "" || options.port == null ? 80 : Number(options.port);
        const target = port === 80 ? hosts.get(options.hostname.toLowerCase()) : undefined;
        if (target == null) return connect(options, callback);
        return connect({ ...options, hostname: target.host, port: target.port }, callback);
      },
    }),
  );
}
