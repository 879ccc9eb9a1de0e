// The docs paste real output in docs/guide/reading-a-report.md; these helpers compare a pasted
// block with what the code prints (or rewrite it with UPDATE_README=1).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const PAGE = join(root, "docs/guide/reading-a-report.md");
const update = process.env.UPDATE_README === "1";

/** The ```text block that follows `anchor` in the page: [start, end) offsets of its body. */
function textBlockAfter(page: string, anchor: string): [number, number] {
  const at = page.indexOf(anchor);
  expect(at, `anchor not found in docs/guide/reading-a-report.md: ${anchor}`).toBeGreaterThanOrEqual(0);
  const start = page.indexOf("```text\n", at) + "```text\n".length;
  const end = page.indexOf("\n```", start);
  return [start, end];
}

/** Expects the ```text block after `anchor` to be `actual` (with UPDATE_README=1: writes it). */
export function checkPasted(anchor: string, actual: string): void {
  const page = readFileSync(PAGE, "utf8");
  const [start, end] = textBlockAfter(page, anchor);
  if (update) {
    writeFileSync(PAGE, page.slice(0, start) + actual + page.slice(end));
    return;
  }
  expect(page.slice(start, end)).toBe(actual);
}
