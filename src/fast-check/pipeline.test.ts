import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pipeline } from "./pipeline.js";

describe("pipeline", () => {
  it("generates lists of the given actions within the length bounds, repeats included", () => {
    const values = fc.sample(pipeline(["fetch", "summarize", "email"], { minLength: 1, maxLength: 4 }), { seed: 3, numRuns: 200 });
    for (const v of values) {
      expect(v.length).toBeGreaterThanOrEqual(1);
      expect(v.length).toBeLessThanOrEqual(4);
      for (const action of v) expect(["fetch", "summarize", "email"]).toContain(action);
    }
    expect(values.some((v) => new Set(v).size < v.length)).toBe(true);
  });

  it("shrinks to the shortest failing pipeline of the first action", () => {
    const details = fc.check(fc.property(pipeline(["fetch", "summarize", "email"]), (v) => new Set(v).size === v.length), { seed: 5 });
    expect(details.counterexample).toEqual([["fetch", "fetch"]]);
  });

  it("rejects an empty action list and impossible bounds", () => {
    expect(() => pipeline([])).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build pipeline(): "actions" must be a non-empty array of the actions a pipeline may contain.]`);
    expect(() => pipeline(["a"], { minLength: 3, maxLength: 2 })).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build pipeline(): minLength and maxLength must be whole numbers with 0 <= minLength <= maxLength, got 3 and 2.]`);
  });
});
