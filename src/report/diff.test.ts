import { describe, expect, it } from "vitest";
import { diffLines, trimDiff } from "./diff.js";

describe("diffLines", () => {
  it("marks removed, added and shared lines in order", () => {
    expect(diffLines(["a", "b", "c", "d"], ["a", "x", "c", "d", "e"])).toEqual([
      { op: " ", text: "a" },
      { op: "-", text: "b" },
      { op: "+", text: "x" },
      { op: " ", text: "c" },
      { op: " ", text: "d" },
      { op: "+", text: "e" },
    ]);
  });

  it("keeps two lines of context around changes and elides the rest", () => {
    const a = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    const b = a.map((line, i) => (i === 6 ? "changed" : line));
    const trimmed = trimDiff(diffLines(a, b), 2).map((l) => (l === "…" ? l : `${l.op}${l.text}`));
    expect(trimmed).toEqual(["…", " line 4", " line 5", "-line 6", "+changed", " line 7", " line 8", "…"]);
  });
});
