// `npm run bench` rewrites the marked parts of docs/performance.md and the README's line of figures.
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs module of the bench, without types
import { replaceMarked, summaryLine } from "../../bench/performance-doc.mjs";
import { read } from "./markdown.js";

describe("the figures npm run bench writes", () => {
  it("have their markers in docs/performance.md and README.md", () => {
    const doc = read("docs/performance.md");
    for (const name of ["machine", "table"]) expect(() => replaceMarked(doc, name, "x")).not.toThrow();
    expect(() => replaceMarked(read("README.md"), "summary", "x")).not.toThrow();
  });

  it("replace only what lies between the markers", () => {
    const text = "a <!-- bench:table -->old<!-- /bench:table --> b";
    expect(replaceMarked(text, "table", "new")).toBe("a <!-- bench:table -->new<!-- /bench:table --> b");
    expect(() => replaceMarked("no markers", "table", "new")).toThrow(/markers <!-- bench:table -->/);
  });

  it("summarize the 20- and 1,000-step figures in one line", () => {
    const r = (label: string, ms: number, vsBare?: number) => ({ label, ms: { median: ms }, ...(vsBare ? { vsBare: { median: vsBare } } : {}) });
    const groups = [
      { id: "seq-20", rows: [r("replay() all detectors on", 2.04), r("replayHandler() all detectors on", 32.2)] },
      { id: "seq-1000", rows: [r("replay() all detectors on", 1076, 4.9)] },
    ];
    expect(summaryLine(groups, (ms: number) => String(ms))).toBe(
      "a 20-step workflow replays in 2.04 ms with every detector on, 32.2 ms through the real handler, 1,000 steps in 1076 ms (4.9x the bare replay loop)",
    );
  });
});
