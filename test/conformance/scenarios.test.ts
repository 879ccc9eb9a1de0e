import { WorkflowNonRetryableError, type WorkflowContext } from "@upstash/workflow";
import { createWorkflow } from "@upstash/workflow/nextjs";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { comparable, runBoth, type BothOptions } from "./both-modes.js";

type Ctx = WorkflowContext<any>;

type Route = (context: Ctx) => Promise<unknown>;

/** Runs both modes; a factory gives each mode its own closure state (counters). */
async function agree(route: Route | { fresh: () => Route }, options: BothOptions = {}) {
  const make = typeof route === "function" ? () => route : route.fresh;
  const { mock, real } = await runBoth(make as never, options);
  expect(comparable(real)).toEqual(comparable(mock));
  return mock;
}

const api = [
  http.get("https://api.test/json", () => HttpResponse.json({ ok: true, n: 7 })),
  http.post("https://api.test/echo", async ({ request }) => HttpResponse.text(`echo:${await request.text()}`)),
  http.get("https://api.test/missing", () => HttpResponse.json({ error: "nope" }, { status: 404 })),
  http.get("https://api.test/boom", () => new HttpResponse("down", { status: 503, headers: { "content-type": "text/plain" } })),
  http.get("https://api.test/unicode", () => HttpResponse.text("ünï ✓")),
  http.get("https://api.test/bytes", () => new HttpResponse(new Uint8Array([0, 255, 128, 10]), { headers: { "content-type": "application/octet-stream" } })),
];

describe("conformance: replay() and replayHandler(serve(route).handler) agree", () => {
  it("sequential steps", async () => {
    const mock = await agree(async (context) => {
      const a = await context.run("one", () => ({ n: 1, d: new Date(0) }));
      const b = await context.run("two", () => a.n + 1);
      await context.run("nothing", () => undefined);
      return { b, payload: context.requestPayload };
    }, { payload: { id: 7 } });
    expect(mock.status).toBe("completed");
    expect(mock.invocations).toBe(4);
  });

  it("a string payload and a route that returns nothing", async () => {
    const mock = await agree(async (context) => {
      await context.run("echo", () => context.requestPayload);
    }, { payload: "plain text" });
    expect(mock.output).toBeUndefined();
  });

  it("parallel groups, with a sleep inside a group", async () => {
    const mock = await agree(async (context) => {
      const before = await context.run("before", () => 1);
      const [p1, , p3] = await Promise.all([
        context.run("p1", () => "r1"),
        context.sleep("p2", 7),
        context.run("p3", () => before + 2),
      ]);
      const pair = await Promise.all([context.run("q1", () => [p1]), context.run("q2", () => p3)]);
      return await context.run("after", () => pair);
    });
    expect(mock.status).toBe("completed");
    expect(mock.invocations).toBe(13);
  });

  it("sleep and sleepUntil", async () => {
    const mock = await agree(async (context) => {
      await context.sleep("short", 10);
      await context.sleep("duration", "2m");
      await context.sleepUntil("until", new Date(Date.UTC(2025, 0, 2)));
      return await context.run("done", () => "ok");
    });
    expect(mock.status).toBe("completed");
  });

  it("waits: notified and timed out", async () => {
    const mock = await agree(
      async (context) => {
        const got = await context.waitForEvent("wait-got", "evt-1", { timeout: "1h" });
        const late = await context.waitForEvent("wait-late", "evt-2", { timeout: 30 });
        return { got, late };
      },
      { events: { "evt-1": { hello: "world" } } },
    );
    expect(mock.output).toEqual({ got: { eventData: { hello: "world" }, timeout: false }, late: { timeout: true } });
  });

  it("context.call with 2xx and non-2xx, JSON, text, unicode and binary bodies", async () => {
    const mock = await agree(
      async (context) => {
        const json = await context.call("json", { url: "https://api.test/json" });
        const echo = await context.call("echo", { url: "https://api.test/echo", method: "POST", body: "hi", headers: { "content-type": "text/plain" } });
        const missing = await context.call("missing", { url: "https://api.test/missing" });
        const boom = await context.call("boom", { url: "https://api.test/boom" });
        const unicode = await context.call("unicode", { url: "https://api.test/unicode" });
        const bytes = await context.call("bytes", { url: "https://api.test/bytes" });
        return [json, echo, missing, boom, unicode, bytes].map((r) => ({ status: r.status, body: r.body }));
      },
      { handlers: api },
    );
    expect(mock.status).toBe("completed");
  });

  it("context.call with retries on a failing endpoint", async () => {
    const mock = await agree(
      async (context) => {
        const r = await context.call("flaky", { url: "https://api.test/boom", retries: 2 });
        return r.status;
      },
      { handlers: api },
    );
    expect(mock.output).toBe(503);
  });

  it("notify wakes a wait in the same parallel group", async () => {
    const mock = await agree(async (context) => {
      const [waited, notified] = await Promise.all([
        context.waitForEvent("wait", "evt-self", { timeout: "1d" }),
        context.notify("notify", "evt-self", { v: 1 }),
      ]);
      const none = await context.notify("notify-nobody", "evt-none", "x");
      return { waited, count: notified.notifyResponse.length, none: none.notifyResponse };
    });
    expect(mock.status).toBe("completed");
  });

  it("invoke of a child workflow", async () => {
    const child = createWorkflow(async (context: Ctx) => {
      const x = await context.run("child-step", () => (context.requestPayload as { n: number }).n * 2);
      return { doubled: x };
    });
    (child as { workflowId?: string }).workflowId = "child";
    const mock = await agree(
      async (context) => {
        const res = await context.invoke("call-child", { workflow: child as never, body: { n: 21 } });
        return res;
      },
      { workflows: { child: child.routeFunction as never } },
    );
    expect(mock.output).toEqual({ body: { doubled: 42 }, isFailed: false, isCanceled: false });
  });

  it("cancel", async () => {
    const mock = await agree(async (context) => {
      await context.run("one", () => 1);
      await context.cancel();
      await context.run("never", () => 2);
    });
    expect(mock.status).toBe("cancelled");
  });

  it("a non-retryable failure", async () => {
    const mock = await agree(async (context) => {
      await context.run("one", () => 1);
      await context.run("fatal", () => {
        throw new WorkflowNonRetryableError("stop here");
      });
    });
    expect(mock.status).toBe("failed");
    expect(mock.error?.status).toBe(489);
  });

  it("a failure retried until it succeeds, and one that exhausts its retries", async () => {
    const flaky = await agree({
      fresh: () => {
        let attempts = 0;
        return async (context) =>
          await context.run("flaky", () => {
            attempts += 1;
            if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
            return "finally";
          });
      },
    });
    expect(flaky.status).toBe("completed");
    const exhausted = await agree(async (context) => {
      await context.run("always", () => {
        throw new TypeError("always broken");
      });
    }, { retries: 2 });
    expect(exhausted.status).toBe("failed");
    expect(exhausted.error?.stepName).toBe("always");
  });

  it("failure functions", async () => {
    const mock = await agree(
      async (context) => {
        await context.run("always", () => {
          throw new Error("kaput");
        });
      },
      {
        retries: 1,
        failureFunction: async ({ failStatus, failResponse, context }) => `handled ${failStatus} ${failResponse} ${JSON.stringify(context.requestPayload)}`,
        payload: { order: 5 },
      },
    );
    expect(mock.failureFunctionResult).toBe('handled 500 kaput {"order":5}');
  });

  it("the SDK's error for a renamed step", async () => {
    const mock = await agree({
      fresh: () => {
        let calls = 0;
        return async (context) => {
          calls += 1;
          await context.run("first", () => 1);
          await context.run(calls > 4 ? "renamed" : "second", () => 2);
          await context.run("third", () => 3);
        };
      },
    }, { retries: 1 });
    expect(mock.status).toBe("failed");
    expect(mock.error?.message).toContain("Incompatible step name");
  });

  it("the SDK's error for a changed parallel width", async () => {
    const mock = await agree({
      fresh: () => {
        let calls = 0;
        return async (context) => {
          calls += 1;
          const width = calls > 4 ? 3 : 2;
          await context.run("first", () => 1);
          await Promise.all(Array.from({ length: width }, (_, i) => context.run(`branch-${i}`, () => i)));
        };
      },
    }, { retries: 0 });
    expect(mock.status).toBe("failed");
    expect(mock.error?.message).toContain("Incompatible number of parallel steps");
  });

  it("an early return fails authentication in both modes", async () => {
    const mock = await agree(async (context) => {
      if ((context.requestPayload as { skip?: boolean }).skip) return "skipped";
      return await context.run("one", () => 1);
    }, { payload: { skip: true }, retries: 0 });
    expect(mock.error?.status).toBe(400);
  });

  it("a retry-after error", async () => {
    const { WorkflowRetryAfterError } = await import("@upstash/workflow");
    const mock = await agree({
      fresh: () => {
        let attempts = 0;
        return async (context) =>
          await context.run("limited", () => {
            attempts += 1;
            if (attempts === 1) throw new WorkflowRetryAfterError("slow down", 30);
            return attempts;
          });
      },
    });
    expect(mock.status).toBe("completed");
  });
});
