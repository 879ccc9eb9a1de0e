import { fileURLToPath } from "node:url";
import type { SourceLocation } from "../types.js";

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

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/**
 * The package root's `src/` and `dist/`: with source maps on (vitest's hook), frames of the built
 * harness are reported at their `src/` positions, so both count as the harness — except the
 * project's own test files that sit next to the sources.
 */
const HARNESS_SOURCES = (() => {
  if (!HARNESS_DIR) return [] as string[];
  const root = HARNESS_DIR.replace(/(dist|src)\/$/, "");
  return [`${root}dist/`, `${root}src/`];
})();
const TEST_FILE = /\.(test|spec|test-d)\.[cm]?[jt]sx?$/;

/** Whether a stack frame's file is the harness's own code (built or source-mapped), not a test file. */
export function isHarnessFile(file: string): boolean {
  if (TEST_FILE.test(file)) return false;
  if (HARNESS_DIR && file.startsWith(HARNESS_DIR)) return true;
  for (const dir of HARNESS_SOURCES) if (file.startsWith(dir)) return true;
  return false;
}

function isUserFile(file: string): boolean {
  if (file.startsWith("node:") || file.includes("/node_modules/") || file.startsWith("internal/")) return false;
  return !isHarnessFile(file);
}

const HARNESS_URL = HARNESS_DIR ? `file://${HARNESS_DIR}` : undefined;
const callSites = (_error: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;

/**
 * The user's call site, taken now and handed around until a finding needs it. It is resolved at
 * once: deferring the formatting was measured slower, because an unformatted V8 stack keeps every
 * frame's closure and receiver alive and the garbage collector paid more than the formatting saved.
 */
export interface CapturedSite {
  resolve(): SourceLocation | undefined;
}

export function captureSite(entry?: Function): CapturedSite {
  const location = (entry && locationAbove(entry)) || userLocation();
  return { resolve: () => location };
}

/**
 * The user's frame right above `entry` (the context method the user called): the frames below it are
 * the harness's and are not even collected, so this is far cheaper than a full walk.
 */
function locationAbove(entry: Function): SourceLocation | undefined {
  const previousLimit = Error.stackTraceLimit;
  // One frame: the caller of the context method. Only when that frame is not the user's (a wrapper
  // in node_modules) does the caller fall back to the longer walk.
  Error.stackTraceLimit = 1;
  const holder: { stack?: string } = {};
  try {
    Error.captureStackTrace(holder, entry);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  return locationFromHolder(holder as Error);
}

/**
 * The first stack frame in the user's code, or undefined. Call it synchronously where the user's call is on the stack.
 *
 * Fast path (it runs at every step a delivery may execute): the stack is taken as structured call
 * sites, frames of the harness, node internals and node_modules are skipped by file name, and only
 * the candidate frame is formatted — through the installed `Error.prepareStackTrace` when there is
 * one (vitest's source-map hook), so positions are the same as in a formatted stack. With Node's
 * own source maps on (`--enable-source-maps`), the whole stack is formatted as before.
 */
export function userLocation(): SourceLocation | undefined {
  // The user's frame is usually a handful of frames up (context.run → the executor → here), so a
  // short walk comes first and the long one only when it found nothing.
  return locationFromHolder(stackHolder(12)) ?? locationFromHolder(stackHolder(60));
}

function stackHolder(limit: number): Error {
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  try {
    return new Error();
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
}

/** Node 20 installs its own `Error.prepareStackTrace`; only a hook someone else installed (vitest's source maps) needs calling. */
const NODE_DEFAULT_PREPARE =
  typeof Error.prepareStackTrace === "function" && Error.prepareStackTrace.name === "ErrorPrepareStackTrace"
    ? Error.prepareStackTrace
    : undefined;

/** Reads a captured Error's frames as structured call sites and formats only the user's frame. */
function locationFromHolder(holder: Error): SourceLocation | undefined {
  const installed = Error.prepareStackTrace;
  const previousPrepare = installed === NODE_DEFAULT_PREPARE ? undefined : installed;
  if (!previousPrepare && (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled) {
    return firstUserFrame(holder.stack ?? "");
  }
  let sites: unknown;
  Error.prepareStackTrace = callSites;
  try {
    sites = holder.stack;
  } finally {
    Error.prepareStackTrace = installed;
  }
  if (!Array.isArray(sites)) return typeof sites === "string" ? firstUserFrame(sites) : undefined;
  for (const site of sites as NodeJS.CallSite[]) {
    const name = site.getFileName();
    if (!name || name.startsWith("node:") || name.includes("/node_modules/")) continue;
    if (((HARNESS_DIR && name.startsWith(HARNESS_DIR)) || (HARNESS_URL && name.startsWith(HARNESS_URL))) && !TEST_FILE.test(name)) continue;
    if (previousPrepare) {
      const found = firstUserFrame(String(previousPrepare(holder, [site])));
      if (found) return found;
      continue;
    }
    const file = toPath(name);
    if (file === undefined || !isUserFile(file)) continue;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) continue;
    return { file, line, column };
  }
  return undefined;
}

/** `file://` URLs already converted: a run takes a call site per executed step, mostly from a few files. */
const PATHS = new Map<string, string | undefined>();

/** A frame's file as a path (`file://` URLs converted); undefined when the URL is malformed. */
function toPath(file: string): string | undefined {
  if (!file.startsWith("file://")) return file;
  if (PATHS.has(file)) return PATHS.get(file);
  let path: string | undefined;
  try {
    path = fileURLToPath(file);
  } catch {
    path = undefined;
  }
  if (PATHS.size >= 1000) PATHS.clear();
  PATHS.set(file, path);
  return path;
}

/** Parses a V8 stack and returns its first frame outside the harness, node internals and node_modules. */
export function firstUserFrame(stack: string): SourceLocation | undefined {
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    const file = toPath(match[1]!);
    if (file === undefined || !isUserFile(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/** `file:line:column`, relative to the working directory when inside it. */
export function formatLocation(location: SourceLocation): string {
  const cwd = process.cwd() + "/";
  const file = location.file.startsWith(cwd) ? location.file.slice(cwd.length) : location.file;
  return `${file}:${location.line}:${location.column}`;
}
