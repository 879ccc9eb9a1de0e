import { delay, http, HttpResponse } from "msw";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { replay, replayHandler, simulatorEnv } from "workflow-replay";
import { serve } from "@upstash/workflow";
import type { WorkflowContext } from "@upstash/workflow";

const REPORT = "https://reports.example.com/render";
const EIGHT_MINUTES = 8 * 60_000;

/** An 8-minute report rendered inside a step: the function waits for the answer. */
const inline = async (context: WorkflowContext) => {
  const id = await context.run("prepare", () => "r-1");
  const report = await context.run("render report", async () => {
    const res = await fetch(REPORT, { method: "POST", body: id });
    return (await res.json()) as { pages: number };
  });
  await context.run("send", () => report.pages);
  return report;
};

/** The same, with QStash making the request: the function does not wait. */
const withCall = async (context: WorkflowContext) => {
  const id = await context.run("prepare", () => "r-1");
  const { body } = await context.call<{ pages: number }>("render report", { url: REPORT, method: "POST", body: id });
  await context.run("send", () => body.pages);
  return body;
};

const handlers = [
  http.post(REPORT, async () => {
    await delay(EIGHT_MINUTES);
    return HttpResponse.json({ pages: 12 });
  }),
];

describe("virtual time inside steps, and the function host", () => {
  it("passes an 8-minute msw delay() inside a step on the virtual clock, in well under a second", async () => {
    const started = performance.now();
    const result = await replay(inline, { handlers });
    const realMs = performance.now() - started;
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ pages: 12 });
    const render = result.deliveries.find((d) => d.submitted.some((s) => s.stepName === "render report"))!;
    expect(render.durationMs).toBe(EIGHT_MINUTES);
    expect(result.deliveries.filter((d) => d !== render).every((d) => d.durationMs === 0)).toBe(true);
    expect(realMs).toBeLessThan(1000);
    expect(result.findings).toEqual([]);
  });

  it("on vercel-hobby stops the delivery at 300 s, retries it, fails the run and names the step", async () => {
    const result = await replay(inline, { handlers, host: "vercel-hobby" });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ name: "FUNCTION_INVOCATION_TIMEOUT", status: 504, stepName: "render report" });
    const stopped = result.deliveries.filter((d) => d.hostTimeout);
    expect(stopped).toHaveLength(4); // the first attempt and QStash's 3 retries
    expect(stopped.every((d) => d.status === 504 && d.durationMs === 300_000)).toBe(true);
    const timeouts = result.findings.filter((f) => f.kind === "function-timeout");
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toMatchObject({ severity: "error", stepName: "render report" });
    expect(timeouts[0]!.message).toContain("Vercel Hobby (Fluid compute)");
    expect(timeouts[0]!.message).toContain("may run 5m, and");
    expect(timeouts[0]!.message).toMatch(/context\.call.*waitForEvent.*split/s);
  });

  it("completes with host { maxDuration: '15m' }", async () => {
    const result = await replay(inline, { handlers, host: { maxDuration: "15m" } });
    expect(result.status).toBe("completed");
    expect(result.findings).toEqual([]);
    expect(result.usage.longestDeliveryMs).toBe(EIGHT_MINUTES);
  });

  it("completes on vercel-hobby once the request is a context.call", async () => {
    const result = await replay(withCall, { handlers, host: "vercel-hobby" });
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ pages: 12 });
    expect(result.findings).toEqual([]);
    expect(result.usage.longestDeliveryMs).toBe(0);
    // the 8 minutes pass while QStash waits: between the call and its callback
    expect(result.endedAt - result.deliveries[0]!.at).toBeGreaterThanOrEqual(EIGHT_MINUTES);
  });

  it("does the same through the real serve() handler", async () => {
    const hobby = await replayHandler(serve(inline, { env: simulatorEnv() }).handler, { handlers, host: "vercel-hobby" });
    expect(hobby.status).toBe("failed");
    const timeouts = hobby.findings.filter((f) => f.kind === "function-timeout");
    expect(timeouts).toHaveLength(1);
    // the real SDK shows the harness no step name: the finding names the position and the step before it
    expect(timeouts[0]!.message).toContain("Failed to finish the step at position 2 (the one after 'prepare')");
    expect(hobby.deliveries.filter((d) => d.hostTimeout)).toHaveLength(4);
    const roomy = await replayHandler(serve(inline, { env: simulatorEnv() }).handler, { handlers, host: { maxDuration: "15m" } });
    expect(roomy.status).toBe("completed");
    const call = await replayHandler(serve(withCall, { env: simulatorEnv() }).handler, { handlers, host: "vercel-hobby" });
    expect(call.status).toBe("completed");
  });
});
