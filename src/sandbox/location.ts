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

function isUserFile(file: string): boolean {
  if (file.startsWith("node:") || file.includes("/node_modules/") || file.startsWith("internal/")) return false;
  if (HARNESS_DIR && file.startsWith(HARNESS_DIR)) return false;
  return true;
}

/** The first stack frame in the user's code, or undefined. Call it synchronously where the user's call is on the stack. */
export function userLocation(): SourceLocation | undefined {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = previous;
  return firstUserFrame(stack);
}

/** Parses a V8 stack and returns its first frame outside the harness, node internals and node_modules. */
export function firstUserFrame(stack: string): SourceLocation | undefined {
  const lines = stack.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const match = FRAME.exec(lines[i]!);
    if (!match) continue;
    let file = match[1]!;
    if (file.startsWith("file://")) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (!isUserFile(file)) continue;
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
