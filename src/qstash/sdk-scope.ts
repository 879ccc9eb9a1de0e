import { fileURLToPath } from "node:url";
import { firstUserFrame } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";

/**
 * Where user code runs inside the real SDK, read from the (async) stack: the SDK gives the harness
 * no hook, so `replayHandler()` recognizes the SDK's own frames instead. A step function runs under
 * `wrapStep` / `LazyFunctionStep.getResultStep`; the auth dry run under `tryAuthentication`.
 * V8's async stack traces keep those frames across `await` in async functions; code reached
 * through bare `.then()` chains loses them (documented as a limitation).
 */
export interface SdkScope {
  /** Inside a step function. */
  inStep: boolean;
  /** Inside the SDK's auth dry run (code before the first step, run a second time). */
  dryRun: boolean;
  /** The user's call site, when the read was made by user code (not by a library or node). */
  location: SourceLocation | undefined;
}

const HARNESS_FILE = (() => {
  try {
    return typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
  } catch {
    return undefined;
  }
})();
const HARNESS_DIR = HARNESS_FILE ? HARNESS_FILE.slice(0, HARNESS_FILE.lastIndexOf("/") + 1).replace(/(\/(?:src|dist)\/).*$/, "$1") : undefined;

const FRAME_FILE = /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?\s*$/;

function frameFile(line: string): string | undefined {
  const match = FRAME_FILE.exec(line);
  if (!match) return undefined;
  let file = match[1]!;
  if (file.startsWith("file://")) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return file;
}

function isHarness(file: string): boolean {
  return HARNESS_DIR !== undefined && file.startsWith(HARNESS_DIR);
}

/** Reads the scope from a V8 stack (first line is the message). */
export function sdkScopeOf(stack: string): SdkScope {
  const lines = stack.split("\n").slice(1);
  const stepFrame = lines.some((l) => /\b(wrapStep|getResultStep)\b/.test(l) && l.includes("@upstash/workflow"));
  const dryRun = lines.some((l) => /\btryAuthentication\b/.test(l));
  // Code outside a step is code the SDK reached through the route function: the real run
  // (triggerRouteFunction) or the auth dry run (tryAuthentication). A stack that shows neither —
  // failureFunction (called from handleFailure), or the rest of an async helper a step function
  // returned without awaiting (`async () => write()`, whose continuation keeps no SDK frame) — is
  // not reported as outside a step: precision first.
  const routeFrame = dryRun || lines.some((l) => /\btriggerRouteFunction\b/.test(l));
  const inStep = stepFrame || !routeFrame;
  // The first frame outside the harness decides whose read it is.
  let location: SourceLocation | undefined;
  for (const line of lines) {
    const file = frameFile(line);
    if (!file || isHarness(file)) continue;
    if (file.startsWith("node:") || file.startsWith("internal/") || file.includes("/node_modules/")) break;
    location = firstUserFrame(`Error\n${line}`);
    break;
  }
  return { inStep, dryRun, location };
}

/** The scope of the current call. */
export function currentSdkScope(): SdkScope {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 80;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = previous;
  return sdkScopeOf(stack);
}
