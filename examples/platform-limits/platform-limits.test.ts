// Each example answers one row of the seed's table; the billed steps are counted by hand in the
// comments with Upstash's rules (docs/guide/platform-limits.md): run/sleep/waitForEvent = 1,
// call = 2, +1 for the trigger's delivery, +1 for every retry.
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay, type HostOption, type PlanOption } from "workflow-replay";
import { dynamicPipeline, eightMinuteStep, fiveMinuteSteps, JOBS_URL, oneHourDispatchAndWait, oneHourInline } from "./workflows.js";

const HOSTS: HostOption[] = ["vercel-hobby", "vercel-pro", "vercel-enterprise", { name: "vercel-hobby", fluid: false }];
const PLANS: PlanOption[] = ["free", "pay-as-you-go", "fixed-1m", "fixed-10m"];
const MINUTE = 60_000;

describe("five steps of a minute each", () => {
  it("fits every host and plan; 6 billed steps (5 runs + the trigger), $0.00006 pay-as-you-go", async () => {
    for (const host of HOSTS.slice(0, 3)) {
      for (const plan of PLANS) {
        const result = await replay(fiveMinuteSteps, { host, plan });
        expect(result.status, `${JSON.stringify(host)} / ${plan}`).toBe("completed");
        expect(result.findings).toEqual([]);
      }
    }
    const result = await replay(fiveMinuteSteps, {});
    expect(result.output).toBe(15);
    expect(result.usage).toEqual({
      billedSteps: 6, // 5 × run + 1 trigger
      deliveries: 6,
      calls: 0,
      longestDeliveryMs: MINUTE,
      computeMs: 5 * MINUTE,
      largestBodyBytes: result.deliveries.at(-1)!.bodyBytes,
      costUsd: 0.00006,
    });
  });

  it("does not fit a Hobby project without Fluid compute (10 s default)", async () => {
    const result = await replay(fiveMinuteSteps, { host: { name: "vercel-hobby", fluid: false } });
    expect(result.status).toBe("failed");
    expect(result.findings.map((f) => [f.kind, f.stepName])).toEqual([["function-timeout", "chunk 1"]]);
  });
});

describe("one 8-minute step", () => {
  it("times out on Hobby: 4 attempts stopped at 300 s, 4 billed steps", async () => {
    const result = await replay(eightMinuteStep, { payload: { video: "intro" }, host: "vercel-hobby" });
    expect(result.status).toBe("failed");
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ kind: "function-timeout", stepName: "transcode" });
    expect(result.usage).toMatchObject({ billedSteps: 4, deliveries: 4, longestDeliveryMs: 5 * MINUTE, computeMs: 20 * MINUTE });
  });

  it("times out on Pro at its 300 s default, fits Pro with maxDuration raised to 800 s", async () => {
    const pro = await replay(eightMinuteStep, { payload: { video: "intro" }, host: "vercel-pro" });
    expect(pro.findings.map((f) => f.kind)).toEqual(["function-timeout"]);
    const raised = await replay(eightMinuteStep, { payload: { video: "intro" }, host: { name: "vercel-pro", maxDuration: 800 } });
    expect(raised.status).toBe("completed");
    expect(raised.output).toBe("intro.mp4");
    expect(raised.findings).toEqual([]);
    expect(raised.usage).toMatchObject({ billedSteps: 2, longestDeliveryMs: 8 * MINUTE }); // run + trigger
  });

  it("cannot be raised past the plan's ceiling", async () => {
    await expect(replay(eightMinuteStep, { host: { name: "vercel-hobby", maxDuration: "8m" } })).rejects.toThrow(
      /Vercel Hobby \(Fluid compute\) allows at most 300 s/,
    );
  });
});

describe("a one-hour job", () => {
  it("fits nowhere inline", async () => {
    for (const host of [...HOSTS, { name: "vercel-enterprise", fluid: false } as const]) {
      const result = await replay(oneHourInline, { payload: { dataset: "d" }, host });
      expect(result.status, JSON.stringify(host)).toBe("failed");
      expect(result.findings.map((f) => f.kind)).toEqual(["function-timeout"]);
    }
  });

  it("fits as dispatch-and-wait on every plan: 4 billed steps (trigger, call ×2, waitForEvent)", async () => {
    const handlers = [http.post(JOBS_URL, () => HttpResponse.json({ accepted: true }, { status: 202 }))];
    for (const plan of PLANS) {
      const result = await replay(oneHourDispatchAndWait, {
        payload: { dataset: "d" },
        workflowRunId: "train-1",
        handlers,
        events: { "train-wfr_train-1": { data: { model: "d-v1" }, after: "1h" } },
        host: "vercel-hobby",
        plan,
      });
      expect(result.status, String(plan)).toBe("completed");
      expect(result.output).toEqual({ model: "d-v1" });
      expect(result.findings).toEqual([]);
      expect(result.usage).toMatchObject({ billedSteps: 4, deliveries: 4, calls: 1, longestDeliveryMs: 0 });
      expect(result.endedAt - result.deliveries[0]!.at).toBeGreaterThan(60 * MINUTE);
    }
  });

  it("as one context.call that answers after an hour, is over the free plan's 15-minute call limit", async () => {
    const { delay } = await import("msw");
    const slow = [http.post(JOBS_URL, async () => (await delay(60 * MINUTE), HttpResponse.json({ model: "d-v1" })))];
    const free = await replay(
      async (context) => (await context.call("train", { url: JOBS_URL, method: "POST" })).body,
      { handlers: slow, host: "vercel-hobby", plan: "free" },
    );
    expect(free.status).toBe("completed"); // the harness reports the limit; it does not guess QStash's reaction
    expect(free.findings.map((f) => [f.kind, f.stepName])).toEqual([["limit-exceeded", "train"]]);
    expect(free.findings[0]!.message).toContain("Upstash Free allows at most 15m");
  });
});

describe("a 10-step dynamic pipeline", () => {
  const stages = ["fetch", "validate", "normalize", "enrich", "dedupe", "score", "rank", "render", "upload", "notify"];

  it("bills 11 steps a run ($0.00011 pay-as-you-go) and 1,100 steps at 100 runs a day: over the free plan", async () => {
    const result = await replay(dynamicPipeline, { payload: { stages } });
    expect(result.output).toBe(10);
    expect(result.usage).toMatchObject({ billedSteps: 11, deliveries: 11, calls: 0, longestDeliveryMs: 0, costUsd: 0.00011 });
    const fixed = await replay(dynamicPipeline, { payload: { stages }, plan: "fixed-1m" });
    expect(fixed.usage.costUsd).toBe(0.000066); // $180 / (1M × 30) a step, at full use
    const free = await replay(dynamicPipeline, { payload: { stages }, plan: "free", runsPerDay: 100 });
    expect(free.usage.costUsd).toBe(0);
    expect(free.findings.map((f) => f.kind)).toEqual(["limit-exceeded"]);
    expect(free.findings[0]!.message).toContain("100 runs a day at 11 billed steps each make 1,100 steps a day");
    expect((await replay(dynamicPipeline, { payload: { stages }, plan: "free", runsPerDay: 90 })).findings).toEqual([]);
  });
});
