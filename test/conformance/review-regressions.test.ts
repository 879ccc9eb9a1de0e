import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { comparable, runBoth } from "./both-modes.js";

/** Disagreements found by a review of the engine against the SDK; each was fixed in the mock. */
describe("review regressions: replay() agrees with the real SDK", () => {
  it("leaves the executing flag set after a step function throws synchronously (a later step fails as nested)", async () => {
    const { mock, real } = await runBoth(
      () => async (context) => {
        await context.run("first", () => 0);
        try {
          await context.run("a", () => {
            throw new Error("x");
          });
        } catch {
          // the fallback below is issued in the same delivery
        }
        return await context.run("after", () => 2);
      },
      { retries: 1, checks: { "swallowed-abort": "off" } },
    );
    expect(mock.status).toBe("failed");
    expect(mock.error?.message).toBe("A step can not be run inside another step. Tried to run 'after' inside 'a'");
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("groups a step issued two microtasks after another, like the SDK's deferred window", async () => {
    const { mock, real } = await runBoth(() => async (context) => {
      const p1 = context.run("a", () => 1);
      await Promise.resolve();
      await Promise.resolve();
      const p2 = context.run("b", () => 2);
      return await Promise.all([p1, p2]);
    });
    expect(mock.steps.filter((s) => s.targetStep)).toHaveLength(2);
    expect(comparable(mock)).toEqual(comparable(real));
  });
});

describe("review regressions: perturbation passes", () => {
  it("never run a step function past the end of the recorded history", async () => {
    let runs = 0;
    const result = await replay(
      async (context) => {
        const t = Date.now();
        await context.run("a", () => t);
        await context.run("b", () => {
          runs++;
          throw new Error("x");
        });
      },
      { retries: 1 },
    );
    expect(result.status).toBe("failed");
    expect(runs).toBe(2); // the two deliveries that ran "b", and nothing more
  });

  it("end before replay() returns: no request is made after it", async () => {
    const seen: string[] = [];
    const handlers = [
      http.get("https://config.test/*", async ({ request }) => {
        seen.push(new URL(request.url).pathname);
        await delay(5);
        return HttpResponse.json({});
      }),
    ];
    await replay(
      async (context) => {
        const t = Date.now();
        await context.run("a", () => 1);
        await (await fetch("https://config.test/one")).text();
        await fetch("https://config.test/two");
        await context.run("b", () => t);
      },
      { handlers, checks: { "side-effect-outside-step": "off" } },
    );
    const afterReturn = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.length).toBe(afterReturn);
  });
});

describe("review regressions: errors are classified by constructor name, like the SDK's isInstanceOf", () => {
  it("treats a WorkflowNonRetryableError from the SDK's other build (CJS) as non-retryable", async () => {
    const { createRequire } = await import("node:module");
    const cjs = createRequire(import.meta.url)("@upstash/workflow") as typeof import("@upstash/workflow");
    const { mock, real } = await runBoth(
      () => async (context) => {
        await context.run("validate", () => {
          throw new cjs.WorkflowNonRetryableError("nope");
        });
      },
      { retries: 2 },
    );
    expect(mock.invocations).toBe(1);
    expect(mock.error?.status).toBe(489);
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("fails `throw undefined` with the SDK's own TypeError", async () => {
    const { mock, real } = await runBoth(
      () => async (context) => {
        await context.run("a", () => 1);
        throw undefined;
      },
      { retries: 0 },
    );
    expect(mock.error?.message).toBe("Cannot convert undefined or null to object");
    expect(comparable(mock)).toEqual(comparable(real));
  });
});

describe("review regressions: call and invoke options", () => {
  it("rejects a flow control with neither parallelism nor rate, with QStash's error", async () => {
    const { mock, real } = await runBoth(
      () => async (context) => {
        await context.call("c", { url: "https://api.test/x", flowControl: { key: "k" } } as never);
      },
      { retries: 0, handlers: [http.get("https://api.test/x", () => HttpResponse.json({}))] },
    );
    expect(mock.status).toBe("failed");
    expect(mock.error).toMatchObject({ name: "QstashError", message: "Provide at least one of parallelism or ratePerSecond for flowControl" });
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("gives an invoked child run the invoke's label", async () => {
    const child = async (context: import("@upstash/workflow").WorkflowContext) => await context.run("labels", () => context.labels);
    const { mock, real } = await runBoth(
      () => async (context) => {
        const { body } = await context.invoke("child", { workflow: { workflowId: "child" } as never, body: {}, label: "team-a" });
        return body;
      },
      { workflows: { child } },
    );
    expect(mock.output).toEqual(["team-a"]);
    expect(comparable(mock)).toEqual(comparable(real));
  });
});

describe("review regressions: what the route sees", () => {
  it("has the delivery's headers in context.headers, as the SDK keeps them", async () => {
    const { mock, real } = await runBoth(
      () => async (context) =>
        await context.run("h", () => ({
          contentType: context.headers.get("content-type"),
          retried: context.headers.get("upstash-retried"),
          tenant: context.headers.get("x-tenant"),
          hasMessageId: context.headers.has("upstash-message-id"),
        })),
      { headers: { "x-tenant": "acme" } },
    );
    expect(mock.output).toEqual({ contentType: "application/json", retried: "0", tenant: "acme", hasMessageId: true });
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("gives a context.call callback's dry run the callback body QStash posts", async () => {
    const seen: unknown[] = [];
    const make = () => async (context: import("@upstash/workflow").WorkflowContext<unknown>) => {
      seen.push(Object.keys((context.requestPayload ?? {}) as object).sort().join(","));
      await context.call("c", { url: "https://api.test/x" });
    };
    await runBoth(make, { handlers: [http.get("https://api.test/x", () => HttpResponse.json({ ok: 1 }))], perturb: false });
    const keys = new Set(seen.filter((k) => k !== ""));
    expect([...keys]).toEqual(["body,header,maxRetries,method,retried,sourceMessageId,status,url"]);
  });
});

describe("review regressions: time", () => {
  it("rounds a fractional sleep the way the QStash client does (toFixed(0) seconds)", async () => {
    const { mock, real } = await runBoth(() => async (context) => {
      await context.sleep("s", 1.5);
      await context.run("after", () => 1);
    });
    expect(mock.deliveries[1]!.at - mock.deliveries[0]!.at).toBe(2_000 + 100);
    expect(comparable(mock)).toEqual(comparable(real));
  });
});
