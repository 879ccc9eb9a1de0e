import { fileURLToPath } from "node:url";

/** Directory of the harness's own code (dist/ when built, src/ in the project's unit tests). */
const HARNESS_DIR = (() => {
  try {
    const here = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
    const marker = here.lastIndexOf("/dist/") >= 0 ? "/dist/" : "/src/";
    const at = here.lastIndexOf(marker);
    return at >= 0 ? here.slice(0, at + marker.length) : undefined;
  } catch {
    return undefined;
  }
})();

/** The network layer the harness drives (msw, the interceptors, undici) and the SDK itself. */
const HARNESS_LIBRARIES = /\/node_modules\/(?:msw|@mswjs\/[^/]+|@open-draft\/[^/]+|undici|@upstash\/[^/]+|outvariant|strict-event-emitter|headers-polyfill)\//;

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?\s*$/;

/**
 * Whether the read being reported happened inside the harness's own network layer (msw and its
 * dependencies stamping a request with Date.now(), drawing an id with Math.random()) rather than in
 * the user's code or a library the user called. Call it synchronously from the read hook.
 */
export function readByNetworkLayer(): boolean {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = previous;
  const lines = stack.split("\n");
  let first = true;
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, "");
    if (HARNESS_DIR && file.startsWith(HARNESS_DIR)) continue;
    if (first && (file.startsWith("node:internal") || file.startsWith("internal/"))) return true;
    // Under replayHandler() the SDK calls the route: only a read the SDK makes itself is its own.
    if (!first && /\/node_modules\/@upstash\/workflow\//.test(file)) continue;
    first = false;
    if (HARNESS_LIBRARIES.test(file)) return true;
  }
  return false;
}
