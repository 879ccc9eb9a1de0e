import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { PLANS, replay } from "workflow-replay";

const kinds = (result: { findings: Array<{ kind: string }> }) => result.findings.map((f) => f.kind);

describe("plan limits", () => {
  it("checks each delivery's body against the plan's message size (it carries every recorded step)", async () => {
    const route = async (context: WorkflowContext) => {
      for (let i = 0; i < 3; i++) await context.run(`page ${i}`, () => "x".repeat(400_000));
    };
    expect(kinds(await replay(route, {}))).toEqual([]); // no plan: only the limits of every plan
    expect(kinds(await replay(route, { plan: "pay-as-you-go" }))).toEqual([]);
    const free = await replay(route, { plan: "free" });
    expect(kinds(free)).toEqual(["limit-exceeded"]);
    // 3 × 400 KB in base64 is 1.6 MB by the last delivery; the third delivery (2 results) is the first over 1 MB
    expect(free.findings[0]).toMatchObject({ invocation: 3 });
    expect(free.findings[0]!.message).toMatch(/^\[workflow-replay\] Delivery 3 sent a 1,\d{3},\d{3}-byte request body \(3 recorded steps\), but Upstash Free allows 1,000,000 bytes \(max message size\)/);
  });

  it("checks parallel width, sleeps and wait timeouts against the plan", async () => {
    const route = async (context: WorkflowContext) => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => context.run(`fan ${i}`, () => i)));
      await context.sleep("cool down", "10d");
      await context.waitForEvent("approval", "approve-1", { timeout: "30d" });
    };
    const free = await replay(route, { plan: "free" });
    expect(free.findings.map((f) => f.message.replace(/ \(max [^)]*\)\..*$/s, ""))).toEqual([
      "[workflow-replay] A parallel group of 12 steps ('fan 0' among them) runs at once, but Upstash Free allows 10 at a time",
      "[workflow-replay] Step 'cool down' sleeps 10d, but Upstash Free allows at most 7d",
      "[workflow-replay] Step 'approval' waits (timeout) 30d, but Upstash Free allows at most 7d",
    ]);
    expect(kinds(await replay(route, { plan: "pay-as-you-go" }))).toEqual([]);
    expect(kinds(await replay(route, { plan: "free", checks: { "limit-exceeded": "off" } }))).toEqual([]);
    const warn = await replay(route, { plan: "free", checks: { "limit-exceeded": "warning" } });
    expect(warn.findings.every((f) => f.severity === "warning")).toBe(true);
  });

  it("takes a plan of your own on top of a named one", async () => {
    const route = async (context: WorkflowContext) => {
      await Promise.all([context.run("a", () => 1), context.run("b", () => 2), context.run("c", () => 3)]);
    };
    const result = await replay(route, { plan: { extends: "free", maxParallelism: 2, name: "our quota" } });
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringContaining("but our quota allows 2 at a time")]);
    expect(PLANS.free.maxParallelism).toBe(10); // the facts themselves are untouched
  });

  it("refuses a plan or host it does not know, with what it knows", async () => {
    await expect(replay(async (c) => c.run("a", () => 1), { plan: "hobby" as never })).rejects.toThrow(
      /"plan" must be one of "free", "pay-as-you-go", "fixed-1m", "fixed-10m"/,
    );
    await expect(replay(async (c) => c.run("a", () => 1), { host: "aws-lambda" as never })).rejects.toThrow(/"host" must be one of "vercel-hobby"/);
    await expect(replay(async (c) => c.run("a", () => 1), { host: { maxDuration: "soon" } })).rejects.toThrow(/host.maxDuration must be/);
    await expect(replay(async (c) => c.run("a", () => 1), { plan: { maxParalelism: 3 } as never })).rejects.toThrow(/unknown limit "maxParalelism"/);
  });
});
