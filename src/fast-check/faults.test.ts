import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exhaustsRetries, faults, toReplayFaults, type FaultSchedule } from "./faults.js";

const EMPTY: FaultSchedule = { failSteps: [], crashAfterStep: [], duplicateSteps: [], order: [], events: {} };

describe("faults", () => {
  it("targets steps 1..steps, at most maxFaults of each kind, and fails within the retries by default", () => {
    const values = fc.sample(faults({ steps: 4, maxFaults: 2, retries: 2 }), { seed: 1, numRuns: 300 });
    for (const v of values) {
      for (const id of [...v.crashAfterStep, ...v.duplicateSteps, ...v.failSteps.map((f) => f.stepId)]) {
        expect(id).toBeGreaterThanOrEqual(1);
        expect(id).toBeLessThanOrEqual(4);
      }
      expect(v.failSteps.length).toBeLessThanOrEqual(2);
      expect(v.failSteps.every((f) => f.attempts >= 1 && f.attempts <= 2)).toBe(true);
      expect(new Set(v.failSteps.map((f) => f.stepId)).size).toBe(v.failSteps.length);
    }
    expect(values.some((v) => v.failSteps.length > 0 && v.crashAfterStep.length > 0 && v.duplicateSteps.length > 0 && v.order.length > 0)).toBe(true);
    expect(values.some((v) => exhaustsRetries(v, 2))).toBe(false);
  });

  it("generates failures that outlast the retries only when asked", () => {
    const values = fc.sample(faults({ retries: 1, permanentFailures: true }), { seed: 2, numRuns: 200 });
    expect(values.some((v) => exhaustsRetries(v, 1))).toBe(true);
  });

  it("turns kinds off", () => {
    const values = fc.sample(faults({ failures: false, crashes: false, duplicates: false, order: false }), { seed: 3, numRuns: 50 });
    expect(values.every((v) => JSON.stringify(v) === JSON.stringify(EMPTY))).toBe(true);
  });

  it("shrinks a schedule towards no fault at all", () => {
    const details = fc.check(fc.property(faults(), (v) => v.crashAfterStep.length === 0), { seed: 4 });
    expect(details.counterexample).toEqual([{ ...EMPTY, crashAfterStep: [1] }]);
  });

  it("times every event before, during, after its timeout, or never, with data from a value or an arbitrary", () => {
    const values = fc.sample(faults({ events: { paid: { data: { ok: true }, timeout: "10s" }, shipped: { data: fc.nat() } } }), { seed: 5, numRuns: 300 });
    const timings = new Set(values.map((v) => {
      const after = v.events.paid!.after;
      return typeof after === "number" ? (after < 10 ? "during" : "late") : after;
    }));
    expect([...timings].sort()).toEqual(["before", "during", "late", "never"]);
    expect(values.every((v) => typeof v.events.shipped!.data === "number")).toBe(true);
    expect(() => faults({ events: { paid: { data: 1, timeout: "soon" } } })).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build faults(): events["paid"].timeout must be a positive number of seconds or a duration like "1h", got "soon".]`);
  });

  it("leaves empty parts out of the replay options", () => {
    expect(toReplayFaults(EMPTY)).toEqual({});
    expect(toReplayFaults({ ...EMPTY, crashAfterStep: [2], events: { paid: { data: 1, after: "before" } } })).toEqual({
      faults: { crashAfterStep: [2] },
      events: { paid: { data: 1, after: "before" } },
    });
  });
});
