import { serve as serveCloudflare } from "@upstash/workflow/cloudflare";
import { serve as serveExpress } from "@upstash/workflow/express";
import { serve as serveHono } from "@upstash/workflow/hono";
import { serve as serveNext } from "@upstash/workflow/nextjs";
import { serve } from "@upstash/workflow";
import type { WorkflowContext } from "@upstash/workflow";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { fromCloudflare, fromExpress, fromHono, fromNextjs, fromServe } from "../../src/qstash/adapters.js";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";

const URL = "https://adapters.test/api/workflow";

async function route(context: WorkflowContext<{ n: number }>) {
  const doubled = await context.run("double", () => context.requestPayload.n * 2);
  await context.sleep("nap", 5);
  const [a, b] = await Promise.all([context.run("a", () => doubled + 1), context.run("b", () => context.url)]);
  return { a, b, user: context.headers.get("x-user") };
}

const expected = { a: 43, b: URL, user: "ada" };
const options = { payload: { n: 21 }, url: URL, headers: { "x-user": "ada" } };

describe("adapters", () => {
  it("serve().handler through fromServe", async () => {
    const result = await replayHandler(fromServe(serve(route, { env: simulatorEnv() })), options);
    expect(result.output).toEqual(expected);
    expect(result.invocations).toBe(7);
  });

  it("a Next.js { POST } export", async () => {
    const result = await replayHandler(fromNextjs(serveNext(route, { env: simulatorEnv() })), options);
    expect(result.output).toEqual(expected);
  });

  it("a Hono app, env from the bindings", async () => {
    const app = new Hono().post("/api/workflow", serveHono(route));
    const result = await replayHandler(fromHono(app, simulatorEnv()), options);
    expect(result.output).toEqual(expected);
  });

  it("a Cloudflare worker with its env", async () => {
    const result = await replayHandler(fromCloudflare(serveCloudflare(route), simulatorEnv()), options);
    expect(result.output).toEqual(expected);
  });

  it("an Express router on a loopback server, with the workflow URL's host", async () => {
    const handler = await fromExpress(serveExpress(route, { env: simulatorEnv() }));
    try {
      const result = await replayHandler(handler, options);
      expect(result.status).toBe("completed");
      expect(result.output).toEqual(expected);
      expect(result.steps.map((s) => s.stepName)).toEqual(["init", "double", "nap", "a", "b", "a", "b"]);
    } finally {
      await handler.close();
    }
  });

  it("explains a value that is not an adapter", () => {
    expect(() => fromNextjs({} as never)).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to adapt the Next.js route: expected an object with a POST function, got object.]`);
    expect(() => fromHono(undefined as never)).toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to adapt the Hono app: expected an object with a fetch function (new Hono()), got undefined.]`);
  });

  it("explains misuse of replayHandler", async () => {
    await expect(replayHandler(route as never, { env: {} } as never)).rejects.toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to replay the handler: "env" is an option of serve(), not of replayHandler(). The handler runs the real SDK: pass it to serve(route, { env }) when you build the handler.]`);
    await expect(replayHandler({} as never)).rejects.toThrowErrorMatchingInlineSnapshot(`[ReplayUsageError: [workflow-replay] Failed to replay the handler: expected a function (request: Request) => Promise<Response>, got object. Pass serve(route).handler, or wrap your adapter with fromNextjs(), fromHono(), fromExpress(), fromCloudflare(), fromH3(), fromSvelteKit(), fromSolidStart(), fromAstro(), fromTanStack() or fromReactRouter().]`);
  });
});
