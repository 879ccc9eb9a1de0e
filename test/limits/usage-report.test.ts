import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { assertReplay, formatReport, replay, ReplayAssertionError } from "workflow-replay";
import { matchers, type MatcherContext } from "workflow-replay/vitest";

const threeSteps = async (context: WorkflowContext) => {
  await context.run("a", () => new Promise((resolve) => setTimeout(() => resolve(1), 2_000)));
  await context.sleep("pause", "1h");
  return await context.run("b", () => 2);
};
const ctx: MatcherContext = { isNot: false, equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) };

describe("usage in the report, assertReplay's budget and the toStayWithinBudget matcher", () => {
  it("prints a Usage block when the run had a host or a plan, and none otherwise", async () => {
    const plain = formatReport(await replay(threeSteps), { color: false });
    expect(plain).not.toContain("Usage");
    const result = await replay(threeSteps, { host: "vercel-hobby", plan: "pay-as-you-go" });
    const report = formatReport(result, { color: false });
    // 4 billed steps: run, sleep, run + the trigger's delivery
    expect(report).toContain("Usage   4 billed steps · $0.00004 on Upstash Pay as You Go");
    expect(report).toMatch(/longest delivery 2s \(limit 5m on Vercel Hobby \(Fluid compute\)\) · function time 2s · largest body \d+(\.\d)? (B|kB)/);
  });

  it("fails assertReplay on a run over its budget, naming each overrun", async () => {
    const result = await replay(threeSteps);
    expect(assertReplay(result, { budget: { steps: 4, costUsd: 0.0001, deliveryDuration: "2s", runDuration: "2h" } })).toBe(result);
    let error: unknown;
    try {
      assertReplay(result, { budget: { steps: 3, deliveryDuration: 1, runDuration: "30m" }, report: { color: false } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReplayAssertionError);
    // run time by hand: 2 s in "a", 3 hops of 100 ms, the 1 h sleep
    const message = (error as Error).message;
    expect(message.split("\n")[0]).toBe(
      "[workflow-replay] Failed to assert the replay: the run went over its budget: 4 billed steps (budget 3), a 2s delivery (budget 1s), 1h 2.3s of run time (budget 30m). The timeline below shows where the run went wrong.",
    );
    expect(message).toContain("Usage   4 billed steps");
  });

  it("passes and fails toStayWithinBudget", async () => {
    const result = await replay(threeSteps);
    expect(matchers.toStayWithinBudget.call(ctx, result, { steps: 4 }).pass).toBe(true);
    const over = matchers.toStayWithinBudget.call(ctx, result, { costUsd: 0.00001 });
    expect(over.pass).toBe(false);
    expect(over.message()).toContain("it used $0.00004 (budget $0.00001)");
  });
});
