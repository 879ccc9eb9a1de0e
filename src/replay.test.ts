import { serve, WorkflowContext, type RouteFunction } from "@upstash/workflow";
import { describe, expect, expectTypeOf, it } from "vitest";
import { replay } from "./replay.js";
import { originals } from "./sandbox/globals.js";

type Order = { orderId: string; items: number[] };

/** A route written for serve(): it must type-check against replay() unchanged. */
const orderFlow: RouteFunction<Order, { total: number }> = async (context) => {
  const items = await context.run("load", () => context.requestPayload.items);
  const total = await context.run("sum", () => items.reduce((a, b) => a + b, 0));
  await context.sleep("cool-down", "10s");
  return { total };
};

describe("replay()", () => {
  it("runs three sequential steps in four invocations and returns their history", async () => {
    const result = await replay(async (context) => {
      const a = await context.run("one", () => 1);
      const b = await context.run("two", () => a + 1);
      return await context.run("three", () => b + 1);
    });
    expect(result.status).toBe("completed");
    expect(result.output).toBe(3);
    expect(result.invocations).toBe(4);
    expect(result.findings).toEqual([]);
    expect(result.steps).toEqual([
      { stepId: 0, stepName: "init", stepType: "Initial", out: "", concurrent: 1 },
      { stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 },
      { stepId: 2, stepName: "two", stepType: "Run", out: "2", concurrent: 1 },
      { stepId: 3, stepName: "three", stepType: "Run", out: "3", concurrent: 1 },
    ]);
  });

  it("accepts a route typed for serve() unchanged", async () => {
    serve(orderFlow, { receiver: undefined, env: {} });
    const result = await replay(orderFlow, { payload: { orderId: "o1", items: [1, 2, 3] } });
    expectTypeOf(result.output).toEqualTypeOf<{ total: number } | undefined>();
    expect(result.output).toEqual({ total: 6 });
    expect(result.steps.map((s) => s.stepType)).toEqual(["Initial", "Run", "Run", "SleepFor"]);
  });

  it("hands user code a context that is an instanceof the SDK's WorkflowContext", async () => {
    let isContext = false;
    await replay(async (context) => {
      isContext = context instanceof WorkflowContext;
      await context.run("x", () => 1);
    });
    expect(isContext).toBe(true);
  });

  it("is deterministic: the same seed gives an identical result, another seed another run id", async () => {
    const route = async (context: WorkflowContext) => {
      const id = await context.run("id", () => crypto.randomUUID());
      const r = await context.run("r", () => Math.random());
      const hook = await context.createWebhook("hook");
      return { id, r, hook: hook.webhookUrl, now: Date.now() };
    };
    const a = await replay(route, { seed: 42 });
    const b = await replay(route, { seed: 42 });
    const c = await replay(route, { seed: 43 });
    expect(b).toEqual(a);
    expect(c.workflowRunId).not.toBe(a.workflowRunId);
    expect(c.output).not.toEqual(a.output);
    expect(a.seed).toBe(42);
  });

  it("restores every patched global after the run", async () => {
    await replay(async (context) => {
      await context.run("x", () => Math.random() + Date.now() + performance.now());
    });
    expect(Math.random).toBe(originals.random);
    expect(Date).toBe(originals.Date);
    expect(Date.now).toBe(originals.dateNow);
    expect(crypto.randomUUID).toBe(originals.randomUUID);
    expect(performance.now).toBe(originals.performanceNow);
    expect(globalThis.fetch).toBe(originals.fetch);
  });
});

describe("replay() misuse", () => {
  it("throws a clear error when the route is not a function", async () => {
    await expect(replay("nope" as never)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ReplayUsageError: [workflow-replay] Failed to replay: the route must be the function you pass to serve(), got string.]`,
    );
  });

  it("throws for an unknown option and lists the known ones", async () => {
    await expect(replay(async () => {}, { paylod: 1 } as never)).rejects.toThrow(
      /\[workflow-replay\] Failed to replay: unknown option "paylod"\. Known options: payload, headers,/,
    );
  });

  it("throws for a payload that cannot be serialized", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(replay(async () => {}, { payload: cyclic })).rejects.toThrow(
      /\[workflow-replay\] Failed to serialize the payload: Converting circular structure to JSON/,
    );
    await expect(replay(async () => {}, { payload: (() => 1) as never })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ReplayUsageError: [workflow-replay] Failed to serialize the payload: a function has no JSON form. Pass a JSON-serializable value or a string.]`,
    );
  });

  it("rejects invalid option values", async () => {
    await expect(replay(async () => {}, { retries: -1 })).rejects.toThrow(/"retries" must be a whole number >= 0/);
    await expect(replay(async () => {}, { url: "ftp://x" })).rejects.toThrow(/"url" must start with http/);
  });

  it.each([
    [{ until: "1d" }, `"until" must be a number of virtual milliseconds >= 0`],
    [{ startTime: "2025-01-01" }, `"startTime" must be a Date or milliseconds since the epoch, got "2025-01-01"`],
    [{ checks: null }, `"checks" must be an object of finding kinds, got null`],
    [{ checks: { nondeterminsm: "off" } }, `checks has an unknown finding kind "nondeterminsm". Known kinds: nondeterminism,`],
    [{ checks: { nondeterminism: "err" } }, `checks["nondeterminism"] must be "error", "warning" or "off", got "err"`],
    [{ workflowRunId: 5 }, `"workflowRunId" must be a non-empty string, got number`],
    [{ workflows: null }, `"workflows" must be an object mapping workflow ids to route functions`],
    [{ faults: { failSteps: "x" } }, `faults.failSteps must be an array, got "x"`],
    [{ events: { e: { data: 1, after: "2 hours" } } }, `events["e"].after must be seconds, a duration like "10s"`],
    [{ events: "x" }, `"events" must be an object of event ids, got "x"`],
    [{ handlers: [{}] }, `handlers[0] is not an msw request handler`],
    [{ deliveryTimeout: "5s" }, `"deliveryTimeout" must be a whole number >= 1, got "5s"`],
  ])("rejects %j with a clear message", async (options, message) => {
    const error = await replay(async () => {}, options as never).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.startsWith("[workflow-replay] Failed to replay: ")).toBe(true);
    expect((error as Error).message).toContain(message);
  });

  it("refuses a replay started from inside a step of a replayed workflow", async () => {
    const result = await replay(async (context) => {
      await context.run("nested", async () => {
        await replay(async (inner) => void (await inner.run("x", () => 1)));
      });
    }, { retries: 0 });
    expect(result.error?.message).toMatch(/called from inside a workflow that is being replayed \(a step/);
  });
});
