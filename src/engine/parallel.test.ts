import type { Step } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";

const label = (s: Step) => `${s.stepName}#${s.stepId}${s.targetStep ? `->${s.targetStep}` : ""}`;

describe("parallel groups", () => {
  it("runs a 3-wide Promise.all between two steps in the reference trace's 9 deliveries", async () => {
    const result = await replay(async (context) => {
      await context.run("before", () => 0);
      const all = await Promise.all([
        context.run("p1", () => "r1"),
        context.sleep("p2", 7),
        context.run("p3", () => "r3"),
      ]);
      await context.run("after", () => all);
    });
    expect(result.status).toBe("completed");
    expect(result.invocations).toBe(9);
    // the sleeping branch's plan is delivered 7 s later, so its result is published last
    expect(result.steps.map(label)).toEqual([
      "init#0", "before#1", "p1#0->2", "p2#0->3", "p3#0->4", "p1#2", "p3#4", "p2#3", "after#5",
    ]);
    expect(result.steps.find((s) => s.stepName === "p2" && s.targetStep)).toMatchObject({ sleepFor: 7, concurrent: 3 });
    expect(result.steps.at(-1)!.out).toBe('["r1",null,"r3"]');
    const outcomes = result.deliveries.map((d) => d.submitted.map(label).join(",") || d.outcome);
    expect(outcomes).toEqual([
      "before#1",
      "p1#0->2,p2#0->3,p3#0->4",
      "p1#2",
      "p3#4",
      "success", // discard: p1's result arrived while p3 and p2 are pending
      "success", // discard
      "p2#3",
      "after#5",
      "success", // the run completes
    ]);
  });

  it("costs 8 invocations for a 3-wide fan-out then one step, and 10 for a 4-wide one", async () => {
    const width = async (n: number) =>
      (
        await replay(async (context) => {
          const all = await Promise.all(Array.from({ length: n }, (_, i) => context.run(`p${i}`, () => i)));
          await context.run("after", () => all);
        })
      ).invocations;
    expect(await width(3)).toBe(8);
    expect(await width(4)).toBe(10);
  });

  it("groups unawaited steps issued in the same tick with an awaited one", async () => {
    const result = await replay(
      async (context) => {
        const a = context.run("a", () => 1);
        const b = await context.run("b", () => 2);
        return (await a) + b;
      },
      { checks: { "unawaited-step": "off" } },
    );
    expect(result.output).toBe(3);
    expect(result.steps.filter((s) => s.targetStep).map(label)).toEqual(["a#0->1", "b#0->2"]);
  });

  it("fails with the SDK's count error when a parallel group changes width between deliveries", async () => {
    let deliveries = 0;
    const result = await replay(
      async (context) => {
        deliveries++;
        const width = deliveries <= 2 ? 2 : 3;
        await Promise.all(Array.from({ length: width }, (_, i) => context.run(`p${i}`, () => i)));
      },
      { retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatchInlineSnapshot(
      `"Incompatible number of parallel steps when call state was 'partial'. Expected 3, got 2 from the request."`,
    );
  });

  it("fails with the SDK's composite message when branches are reordered", async () => {
    let deliveries = 0;
    const result = await replay(
      async (context) => {
        deliveries++;
        const names = deliveries <= 6 ? ["x", "y"] : ["y", "x"];
        await Promise.all(names.map((n) => context.run(n, () => n)));
      },
      { retries: 0 },
    );
    expect(result.error?.message).toMatchInlineSnapshot(`
      "Incompatible steps detected in parallel execution: Incompatible step name. Expected 'y', got 'x' from the request
        > Step Names from the request: ["x","y"]
          Step Types from the request: ["Run","Run"]
        > Step Names expected: ["y","x"]
          Step Types expected: ["Run","Run"]"
    `);
  });
});
