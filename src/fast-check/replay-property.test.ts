import type { WorkflowContext } from "@upstash/workflow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertReplayProperty } from "./assert-property.js";
import { faults } from "./faults.js";
import { caseLiteral, replayProperty } from "./replay-property.js";

const twoSteps = async (context: WorkflowContext<{ n: number }>) => {
  const a = await context.run("a", () => context.requestPayload.n);
  return await context.run("b", () => a * 2);
};
const payload = fc.record({ n: fc.integer({ min: 0, max: 100 }) });

describe("replayProperty", () => {
  it("passes the generated payload to the route and the predicate", async () => {
    const seen: number[] = [];
    await fc.assert(
      replayProperty(twoSteps, { payload, perturb: false }, (result, p) => {
        seen.push(p.n);
        return result.output === p.n * 2;
      }),
      { seed: 1, numRuns: 20 },
    );
    expect(seen).toHaveLength(20);
  });

  it("fails on a predicate returning false, and shrinks the payload", async () => {
    const details = await fc.check(replayProperty(twoSteps, { payload, perturb: false }, (_r, p) => p.n < 10), { seed: 1 });
    expect(details.counterexample).toEqual([{ n: 10 }]);
    expect((details.errorInstance as Error).message.split("\n").slice(0, 2)).toMatchInlineSnapshot(`
      [
        "[workflow-replay] Replay property failed: the predicate returned false.",
        "Rerun this case alone: await replay(route, { ...options, payload: {"n":10} })",
      ]
    `);
  });

  it("checks the status against expectStatus", async () => {
    const cancels = async (context: WorkflowContext<{ n: number }>) => {
      await context.run("a", () => 1);
      await context.cancel();
    };
    const failing = await fc.check(replayProperty(cancels, { payload, perturb: false }), { seed: 1, numRuns: 5 });
    expect((failing.errorInstance as Error).message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Replay property failed: the run ended cancelled, expected completed."`);
    const passing = await fc.check(replayProperty(cancels, { payload, perturb: false, expectStatus: ["cancelled"] }), { seed: 1, numRuns: 5 });
    expect(passing.failed).toBe(false);
  });

  it("counts warnings only with failOn: \"warning\"", async () => {
    const sameName = async (context: WorkflowContext<{ n: number }>) => {
      await context.run("a", () => 1);
      return await context.run("a", () => 2);
    };
    const checks = { "duplicate-step-name": "warning" } as const;
    expect((await fc.check(replayProperty(sameName, { payload, checks }), { seed: 1, numRuns: 3 })).failed).toBe(false);
    const strict = await fc.check(replayProperty(sameName, { payload, checks, failOn: "warning" }), { seed: 1, numRuns: 3 });
    expect((strict.errorInstance as Error).message.split("\n")[0]).toMatchInlineSnapshot(`"[workflow-replay] Replay property failed: 1 finding (duplicate-step-name)."`);
  });

  it("generates [payload, faults] with faults, and prints both in the rerun literal", async () => {
    const property = replayProperty(twoSteps, { payload, faults: faults({ steps: 2 }), perturb: false });
    const [values] = fc.sample(property.arbitraries[1], { seed: 1, numRuns: 1 });
    expect(Object.keys(values!)).toEqual(["failSteps", "crashAfterStep", "duplicateSteps", "order", "events"]);
    expect(caseLiteral({ n: 1 }, { failSteps: [], crashAfterStep: [2], duplicateSteps: [], order: [1], events: {} })).toMatchInlineSnapshot(`"{ ...options, payload: {"n":1}, faults: {"crashAfterStep":[2],"order":[1]} }"`);
  });

  it("reports misuse with what to do", () => {
    expect(() => replayProperty(twoSteps, { payload: { n: 1 } as never })).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build replayProperty(): "payload" must be a fast-check arbitrary, e.g. { payload: fc.record({ id: fc.nat() }) }. For a fixed payload use fc.constant(value).]`);
    expect(() => replayProperty("route" as never, { payload })).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build replayProperty(): the route must be the function you pass to serve(), got string.]`);
    expect(() => replayProperty(twoSteps, { payload, faults: {} as never })).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to build replayProperty(): "faults" must be a fast-check arbitrary, e.g. faults().]`);
  });

  it("assertReplayProperty passes quietly and fails with the seed, the path and the report", async () => {
    await assertReplayProperty(replayProperty(twoSteps, { payload, perturb: false }), { seed: 1, numRuns: 10 });
    const error = await assertReplayProperty(replayProperty(twoSteps, { payload, perturb: false }, (_r, p) => p.n < 50), { seed: 1 }).catch((e: Error) => e);
    expect(String(error).split("\n").slice(0, 4).join("\n").replace(/path: "[\d:]+"/, 'path: "<path>"')).toMatchInlineSnapshot(`
      "Error: [workflow-replay] Property failed after 2 runs (shrunk 6 times).
      Replay this counterexample: fc.assert(property, { seed: 1, path: "<path>", endOnFailure: true })
      [workflow-replay] Replay property failed: the predicate returned false.
      Rerun this case alone: await replay(route, { ...options, payload: {"n":50} })"
    `);
  });
});
