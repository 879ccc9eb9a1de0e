import type { WorkflowContext } from "@upstash/workflow";
import { createWorkflow } from "@upstash/workflow/nextjs";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { comparable, runBoth, withoutWebhookIds, type BothOptions } from "./both-modes.js";

type Ctx = WorkflowContext<any>;
async function agree(route: (c: Ctx) => Promise<unknown>, options: BothOptions = {}) {
  const { mock, real } = await runBoth(() => route as never, options);
  expect(comparable(real)).toEqual(comparable(mock));
  return { mock, real };
}

describe("conformance: edge cases agree in both modes", () => {
  it("webhooks agree up to the random event id (decision 0402)", async () => {
    const route = async (context: Ctx) => {
      const hook = await context.createWebhook("hook");
      const got = await context.waitForWebhook("wait-hook", hook, "1h");
      return { url: hook.webhookUrl, timeout: got.timeout, method: got.request?.method, body: await got.request?.text() };
    };
    const { mock, real } = await runBoth(() => route as never, { webhooks: { hook: { method: "POST", body: "hi" } } });
    expect(withoutWebhookIds(comparable(real))).toEqual(withoutWebhookIds(comparable(mock)));
    expect(mock.output).toMatchObject({ timeout: false, method: "POST", body: "hi" });
    expect((real.output as { url: string }).url).toMatch(/\/evt_[\w-]{15}$/);
  });
  it("labels and headers", async () => {
    await agree(async (context) => {
      return await context.run("x", () => ({ labels: context.labels, label: context.label, h: context.headers.get("x-a") }));
    }, { label: ["a", "b"], headers: { "x-a": "1" } });
  });
  it("call to a sibling workflow", async () => {
    const child = createWorkflow(async (context: Ctx) => { await context.run("c", () => 1); });
    (child as any).workflowId = "child";
    const { mock } = await agree(async (context) => {
      const r = await context.call("trigger-child", { workflow: child as never, body: { a: 1 } });
      return r;
    }, { workflows: { child: child.routeFunction as never } });
    expect(mock.output).toMatchObject({ status: 200, body: { finishCondition: "success" } });
    expect(Object.values(mock.children).map((c) => c.status)).toEqual(["completed"]);
  });
  it("invoke of a failing child", async () => {
    const child = createWorkflow(async (context: Ctx) => { await context.run("c", () => { throw new Error("child broke"); }); });
    (child as any).workflowId = "child";
    const { mock } = await agree(async (context) => {
      return await context.invoke("inv", { workflow: child as never, body: "x", retries: 0 });
    }, { workflows: { child: child.routeFunction as never } });
    expect(mock.output).toEqual({ isFailed: true, isCanceled: false });
  });
  it("call and wait in a group", async () => {
    await agree(async (context) => {
      return await Promise.all([
        context.call("c", { url: "https://api.test/j" }),
        context.waitForEvent("w", "e1", { timeout: 10 }),
        context.waitForEvent("w2", "e2", { timeout: 10 }),
        context.sleepUntil("su", new Date(Date.UTC(2025, 0, 1, 1))),
      ]);
    }, { handlers: [http.get("https://api.test/j", () => HttpResponse.json({ a: 1 }))], events: { e1: "data" } });
  });
  it("a step that returns a BigInt", async () => {
    const { mock } = await agree(async (context) => {
      await context.run("big", () => BigInt(1) as never);
    }, { retries: 1 });
    expect(mock.error).toMatchObject({ name: "TypeError", status: 500 });
  });
  it("a payload that is not JSON arrives as a string", async () => {
    const { mock } = await agree(async (context) => {
      await context.run("x", () => context.requestPayload);
    }, { payload: "not json {", retries: 0 });
    expect(mock.status).toBe("completed");
  });
  it("failure function with a string payload and a failing failure function", async () => {
    const { mock } = await agree(async (context) => {
      await context.run("boom", () => { throw new Error("x"); });
    }, { retries: 0, payload: "raw", failureFunction: async () => { throw new Error("ff broke"); } });
    expect(mock.failureFunctionResult).toBeUndefined();
    expect(mock.invocations).toBe(2);
  });
  it("non-retryable error before the first step", async () => {
    const { WorkflowNonRetryableError } = await import("@upstash/workflow");
    await agree(async (context) => {
      if (context.requestPayload) throw new WorkflowNonRetryableError("early");
      await context.run("x", () => 1);
    }, { payload: { a: 1 } });
  });
  it("throw before the first step", async () => {
    await agree(async (context) => {
      if (context.requestPayload) throw new Error("early plain");
      await context.run("x", () => 1);
    }, { payload: { a: 1 }, retries: 1 });
  });
  it("swallowed abort", async () => {
    await agree(async (context) => {
      await context.run("a", () => 1);
      try { await context.run("b", () => 2); } catch { /* swallow */ }
      return "done";
    });
  });
  it("nested step", async () => {
    await agree(async (context) => {
      await context.run("outer", async () => { await context.run("inner", () => 1); return 2; });
    }, { retries: 0 });
  });
});
