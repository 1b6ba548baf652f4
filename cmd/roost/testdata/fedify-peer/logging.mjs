// Logging for the peer: Fedify reports through LogTape, and everything goes
// to standard error so that a failing Go test shows why Fedify refused a
// request (a signature that did not verify, a key it could not fetch, ...).
import { AsyncLocalStorage } from "node:async_hooks";
import { Console } from "node:console";
import { configure, defaultTextFormatter, getConsoleSink } from "@logtape/logtape";

const levels = ["trace", "debug", "info", "warning", "error", "fatal"];

// setupLogging sends Fedify's and the peer's own logs at the given level or
// above to standard error.
export async function setupLogging(level) {
  if (!levels.includes(level)) {
    throw new Error(`setup logging: unknown level ${JSON.stringify(level)}, want one of ${levels.join(", ")}`);
  }
  await configure({
    // Fedify attaches request-scoped properties through implicit contexts.
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: {
      stderr: getConsoleSink({
        console: new Console(process.stderr, process.stderr),
        formatter: defaultTextFormatter,
      }),
    },
    loggers: [
      { category: ["fedify"], sinks: ["stderr"], lowestLevel: level },
      { category: ["fedify-peer"], sinks: ["stderr"], lowestLevel: level },
      { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "warning" },
    ],
  });
}
