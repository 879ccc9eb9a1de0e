// The engine's fault plan, as workflow-replay/fast-check drives it.
import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";

describe("fault plan", () => {
  const ran: string[] = [];
  const twoGroups = async (context: WorkflowContext<unknown>) => {
    await Promise.all([context.run("a", () => void ran.push("a")), context.run("b", () => void ran.push("b"))]);
    await Promise.all([context.run("c", () => void ran.push("c")), context.run("d", () => void ran.push("d"))]);
  };

  it("takes ready parallel branches in publish order, or by one order entry per choice", async () => {
    const orders: Array<[number[] | undefined, string]> = [
      [undefined, "a,b,c,d"],
      [[1], "b,a,c,d"],
      [[0, 0, 1], "a,b,d,c"],
      [[1, 0, 1, 0], "b,a,d,c"],
    ];
    for (const [order, expected] of orders) {
      ran.length = 0;
      const result = await replay(twoGroups, { faults: order ? { order } : undefined, perturb: false });
      expect(result.status).toBe("completed");
      expect(ran.join(",")).toBe(expected);
    }
  });

  it("delivers twice the message that runs a step: the step runs again and is recorded twice", async () => {
    const runs: string[] = [];
    const route = async (context: WorkflowContext<unknown>) => {
      await context.run("one", () => void runs.push("one"));
      await context.run("two", () => void runs.push("two"));
      await context.run("three", () => void runs.push("three"));
    };
    const result = await replay(route, { faults: { duplicateSteps: [2] }, perturb: false });
    expect(result.status).toBe("completed");
    expect(runs).toEqual(["one", "two", "three", "two"]);
    expect(result.steps.map((s) => s.stepName)).toEqual(["init", "one", "two", "three", "two"]);
  });

  it("hands an event notified before the wait over as the wait starts (lookback)", async () => {
    const route = async (context: WorkflowContext<unknown>) => {
      await context.run("ask", () => "asked");
      return await context.waitForEvent("wait", "approved", { timeout: "1h" });
    };
    const before = await replay(route, { events: { approved: { data: { ok: true }, after: "before" } }, perturb: false });
    const during = await replay(route, { events: { approved: { data: { ok: true }, after: 0 } }, perturb: false });
    expect(before.output).toEqual({ eventData: { ok: true }, timeout: false });
    expect(during.output).toEqual({ eventData: { ok: true }, timeout: false });
    // no hop for the event to travel: it was already waiting at QStash
    expect(during.endedAt - before.endedAt).toBe(100);
  });
});
