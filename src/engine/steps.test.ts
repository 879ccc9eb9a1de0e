import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { OPTION_DEFAULTS } from "../defaults.js";
import { replay } from "../replay.js";

const DEFAULT_START_TIME = OPTION_DEFAULTS.startTime;

describe("time", () => {
  it("delivers after a sleep's duration, and lets time pass between deliveries", async () => {
    const result = await replay(async (context) => {
      const t0 = await context.run("t0", () => Date.now());
      await context.sleep("pause", "90s");
      const t1 = await context.run("t1", () => Date.now());
      return t1 - t0;
    });
    expect(result.output as number).toBeGreaterThanOrEqual(90_000);
    const [, submitsSleep, afterSleep] = result.deliveries;
    expect(afterSleep!.at - submitsSleep!.at).toBe(90_000 + 100);
    expect(new Set(result.deliveries.map((d) => d.at)).size).toBe(result.deliveries.length);
  });

  it("records sleepUntil in unix seconds and delivers at that time", async () => {
    const target = new Date(DEFAULT_START_TIME + 3_600_000);
    const result = await replay(async (context) => {
      await context.sleepUntil("wake", target);
      return await context.run("now", () => Date.now());
    });
    expect(result.steps[1]).toMatchObject({ stepType: "SleepUntil", sleepUntil: target.getTime() / 1000 });
    expect(result.output as number).toBeGreaterThanOrEqual(target.getTime());
  });
});

describe("context.call", () => {
  it("goes through msw handlers and returns { status, body, header } with JSON decoded", async () => {
    const seen: Array<{ method: string; body: string; auth: string | null }> = [];
    const result = await replay(
      async (context) => {
        const response = await context.call<{ ok: string }>("charge", {
          url: "https://payments.test/charge",
          method: "POST",
          body: JSON.stringify({ amount: 5 }),
          headers: { authorization: "Bearer t" },
        });
        return response;
      },
      {
        handlers: [
          http.post("https://payments.test/charge", async ({ request }) => {
            seen.push({ method: request.method, body: await request.text(), auth: request.headers.get("authorization") });
            return HttpResponse.json({ ok: "ünï" }, { headers: { "x-trace": "1" } });
          }),
        ],
      },
    );
    expect(seen).toEqual([{ method: "POST", body: '{"amount":5}', auth: "Bearer t" }]);
    expect(result.output).toMatchObject({ status: 200, body: { ok: "ünï" }, header: { "X-Trace": ["1"] } });
    expect(result.invocations).toBe(3); // the call, its callback, the completion
    expect(result.deliveries[1]!.kind).toBe("callback");
  });

  it("returns a non-2xx response instead of throwing", async () => {
    const result = await replay(
      async (context) => {
        const response = await context.call("fetch", { url: "https://api.test/missing" });
        return await context.run("after", () => response.status);
      },
      { handlers: [http.get("https://api.test/missing", () => HttpResponse.text("gone", { status: 404 }))] },
    );
    expect(result.status).toBe("completed");
    expect(result.output).toBe(404);
  });

  it("keeps a binary body as the SDK's latin-1 string, and decodes text bodies as UTF-8", async () => {
    const bytes = new Uint8Array([0xc3, 0xbc, 0xff, 0x00]);
    const result = await replay(
      async (context) => {
        const bin = await context.call<string>("bin", { url: "https://api.test/bin" });
        const text = await context.call<string>("text", { url: "https://api.test/text" });
        return { bin: bin.body, text: text.body };
      },
      {
        handlers: [
          http.get("https://api.test/bin", () => new HttpResponse(bytes, { headers: { "content-type": "application/octet-stream" } })),
          http.get("https://api.test/text", () => HttpResponse.text("héllo")),
        ],
      },
    );
    expect(result.output).toEqual({ bin: "\u00c3\u00bc\u00ff\u0000", text: "héllo" });
  });

  it("retries a failing call as many times as its retries option, recording only the last answer", async () => {
    let hits = 0;
    const result = await replay(
      async (context) => (await context.call("flaky", { url: "https://api.test/flaky", retries: 2 })).status,
      {
        handlers: [
          http.get("https://api.test/flaky", () => (++hits < 3 ? HttpResponse.text("no", { status: 503 }) : HttpResponse.text("yes"))),
        ],
      },
    );
    expect(hits).toBe(3);
    expect(result.output).toBe(200);
    expect(result.deliveries.filter((d) => d.kind === "callback")).toHaveLength(3);
  });

  it("builds api.openai calls like the SDK: URL, method and auth header", async () => {
    let auth: string | null = null;
    const result = await replay(
      async (context) => {
        const r = await context.api.openai.call("chat", {
          token: "sk-test",
          operation: "chat.completions.create",
          body: { model: "gpt-4o", messages: [] },
        });
        return r.body;
      },
      {
        handlers: [
          http.post("https://api.openai.com/v1/chat/completions", ({ request }) => {
            auth = request.headers.get("authorization");
            return HttpResponse.json({ choices: [] });
          }),
        ],
      },
    );
    expect(auth).toBe("Bearer sk-test");
    expect(result.output).toEqual({ choices: [] });
  });

  it("fails the run with a message naming the URL and the handler to add for an unhandled call", async () => {
    const result = await replay(async (context) => {
      await context.call("ping", { url: "https://unknown.test/ping", method: "POST" });
    });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatchInlineSnapshot(
      `"[workflow-replay] Failed to answer POST https://unknown.test/ping: no request handler matches it, and nothing leaves the process during a replay. Add a handler to the "handlers" option, for example: http.post("https://unknown.test/ping", () => HttpResponse.json({ ok: true })). (context.call "ping")"`,
    );
  });

  it("fails a fetch made by user code to an unhandled URL instead of reaching the network", async () => {
    const result = await replay(
      async (context) => {
        await context.run("fetch", async () => {
          const r = await fetch("https://example.com/");
          return r.status;
        });
      },
      { retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/fetch failed|Failed to answer GET https:\/\/example\.com\//);
  });
});

describe("events, notify, invoke and webhooks", () => {
  it("answers waitForEvent from events, and times out after the default 7 days when absent", async () => {
    const route = async (context: WorkflowContext) => {
      const { eventData, timeout } = await context.waitForEvent("approval", "order-1");
      return await context.run("after", () => ({ eventData, timeout }));
    };
    const answered = await replay(route, { events: { "order-1": { approved: true } } });
    expect(answered.output).toEqual({ eventData: { approved: true }, timeout: false });
    expect(answered.invocations).toBe(3);
    const timedOut = await replay(route);
    expect(timedOut.output).toEqual({ timeout: true });
    expect(timedOut.steps[1]).toMatchObject({ stepType: "Wait", waitTimeout: true });
    expect(timedOut.deliveries[1]!.at - timedOut.deliveries[0]!.at).toBe(7 * 86_400_000 + 100);
  });

  it("delivers an event after its delay, or never", async () => {
    const route = async (context: WorkflowContext) => (await context.waitForEvent("w", "e", { timeout: "1h" })).timeout;
    expect((await replay(route, { events: { e: { data: 1, after: "10m" } } })).output).toBe(false);
    expect((await replay(route, { events: { e: { data: 1, after: "2h" } } })).output).toBe(true);
    expect((await replay(route, { events: { e: { data: 1, after: "never" } } })).output).toBe(true);
  });

  it("lets notify reach a run waiting in the same harness", async () => {
    const worker = async (context: WorkflowContext<{ job: string }>) => {
      const { eventData } = await context.waitForEvent("wait-go", "go");
      return await context.run("work", () => `${context.requestPayload.job}:${String(eventData)}`);
    };
    const result = await replay(
      async (context) => {
        const started = await context.call<{ workflowRunId: string }>("start-worker", {
          workflow: { workflowId: "worker" },
          body: { job: "j1" },
        } as never);
        await context.sleep("let-it-wait", 5);
        const notified = await context.notify("go", "go", "now");
        return { started: started.status, waiters: notified.notifyResponse.length };
      },
      { workflows: { worker } },
    );
    expect(result.output).toEqual({ started: 200, waiters: 1 });
    const child = Object.values(result.children)[0]!;
    expect(child.status).toBe("completed");
    expect(child.output).toBe("j1:now");
  });

  it("runs an invoked workflow as a child run and returns its output", async () => {
    const child = async (context: WorkflowContext<{ n: number }>) => await context.run("double", () => context.requestPayload.n * 2);
    const result = await replay(
      async (context) => {
        const { body, isFailed } = await context.invoke("call-child", { workflow: { workflowId: "doubler" } as never, body: { n: 21 } });
        return { body, isFailed };
      },
      { workflows: { doubler: child } },
    );
    expect(result.output).toEqual({ body: 42, isFailed: false });
    expect(result.steps[1]).toMatchObject({ stepType: "Invoke", out: '{"body":"42","isFailed":false,"isCanceled":false}' });
  });

  it("gives webhooks deterministic URLs and delivers the configured request", async () => {
    const route = async (context: WorkflowContext) => {
      const hook = await context.createWebhook("hook");
      const got = await context.waitForWebhook("wait-hook", hook, "1h");
      return { url: hook.webhookUrl, body: got.timeout ? null : await got.request.text() };
    };
    const a = await replay(route, { webhooks: { hook: { body: "paid" } } });
    const b = await replay(route, { webhooks: { hook: { body: "paid" } } });
    expect(a.output).toEqual(b.output);
    expect((a.output as { body: string }).body).toBe("paid");
    expect((a.output as { url: string }).url).toMatch(/^https:\/\/qstash\.workflow-replay\.test\/v2\/workflows\/hooks\/[\w-]+\/wfr_[\w-]+\/evt_[\w-]{15}$/);
    expect((await replay(route)).output).toMatchObject({ body: null });
  });
});

describe("the context surface", () => {
  it("exposes run metadata like the SDK", async () => {
    const result = await replay(
      async (context) => {
        await context.run("x", () => 1);
        return {
          id: context.workflowRunId,
          created: context.workflowRunCreatedAt,
          url: context.url,
          env: context.env.API_KEY,
          header: context.headers.get("x-tenant"),
          labels: context.labels,
          label: context.label,
          retried: context.retried,
          hasClient: typeof context.qstashClient.publishJSON,
        };
      },
      {
        workflowRunId: "fixed",
        url: "https://my.app/api/flow",
        env: { API_KEY: "k" },
        headers: { "x-tenant": "acme" },
        label: ["a", "b"],
      },
    );
    expect(result.output).toEqual({
      id: "wfr_fixed",
      created: DEFAULT_START_TIME,
      url: "https://my.app/api/flow",
      env: "k",
      header: "acme",
      labels: ["a", "b"],
      label: "a",
      retried: 0,
      hasClient: "function",
    });
  });

  it("counts retries in context.retried", async () => {
    const seen: number[] = [];
    await replay(async (context) => {
      seen.push(context.retried);
      await context.run("x", () => {
        if (context.retried < 2) throw new Error("again");
      });
    }, { perturb: false });
    expect(seen.filter((_, i) => i % 2 === 1)).toEqual([0, 1, 2, 0]);
  });
});
