import { readFileSync } from "node:fs";
import type { SourceLocation } from "../types.js";
import type { Style } from "./style.js";

const cache = new Map<string, string[] | null>();

function sourceLines(file: string): string[] | null {
  let lines = cache.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
      lines = null;
    }
    cache.set(file, lines);
  }
  return lines;
}

/**
 * The line a location points at, with a caret under its column:
 * ```
 *   14 │   const id = Math.random();
 *      │              ^
 * ```
 * Returns [] when the file cannot be read (a bundled or deleted file) or the line does not exist.
 */
export function codeFrame(location: SourceLocation, style: Style, indent: string): string[] {
  const lines = sourceLines(location.file);
  const text = lines?.[location.line - 1];
  if (text === undefined) return [];
  const gutter = String(location.line);
  const shown = text.replace(/\t/g, "  ");
  const max = 120;
  const code = shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
  const tabsBefore = (text.slice(0, Math.max(0, location.column - 1)).match(/\t/g) ?? []).length;
  const caretAt = Math.max(0, location.column - 1 + tabsBefore);
  const lines_ = [`${indent}${style.dim(`${gutter} │`)} ${code}`];
  if (caretAt < max) lines_.push(`${indent}${style.dim(`${" ".repeat(gutter.length)} │`)} ${" ".repeat(caretAt)}${style.red("^")}`);
  return lines_;
}
