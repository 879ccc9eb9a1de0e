import { isHarnessFile } from "../sandbox/location.js";


/** The network layer the harness drives (msw, the interceptors, undici) and the SDK itself. */
const HARNESS_LIBRARIES = /\/node_modules\/(?:msw|@mswjs\/[^/]+|@open-draft\/[^/]+|undici|@upstash\/[^/]+|outvariant|strict-event-emitter|headers-polyfill)\//;

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?\s*$/;

/**
 * Whether the read being reported was made by the harness's network layer (msw and its dependencies
 * stamping a request with Date.now(), drawing an id with Math.random()) rather than by the user's
 * code or a library the user called: a network-layer frame sits between the patched global and the
 * first frame of user code. Frames below the user's code (the SDK's serve() calling the route) do
 * not count. Call it synchronously from the read hook.
 */
export function readByNetworkLayer(): boolean {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = previous;
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, "");
    if (isHarnessFile(file)) continue;
    if (HARNESS_LIBRARIES.test(file) || file.startsWith("node:internal/deps/undici")) return true;
    if (file.includes("/node_modules/") || file.startsWith("node:") || file.startsWith("internal/")) continue;
    return false; // the user's code made the read (directly or through another library)
  }
  return false;
}
