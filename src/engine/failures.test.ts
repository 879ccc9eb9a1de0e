import { WorkflowNonRetryableError, WorkflowRetryAfterError, type WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { OPTION_DEFAULTS } from "../defaults.js";
import { replay } from "../replay.js";

const DEFAULT_START_TIME = OPTION_DEFAULTS.startTime;
import { backoffMs } from "./retries.js";

describe("failures, retries and cancellation", () => {
  it("retries a throwing delivery 3 times with virtual backoff, then fails", async () => {
    const result = await replay(async (context) => {
      await context.run("flaky", () => {
        throw new Error("boom");
      });
    });
    expect(result.status).toBe("failed");
    expect(result.invocations).toBe(4);
    expect(result.error).toEqual({ name: "Error", message: "boom", status: 500, stepName: "flaky" });
    const gaps = result.deliveries.slice(1).map((d, i) => d.at - result.deliveries[i]!.at);
    expect(gaps).toEqual([backoffMs(1), backoffMs(2), backoffMs(3)]);
    expect(Math.round(backoffMs(1) / 1000)).toBe(12); // e^2.5 seconds
    expect(result.deliveries.map((d) => d.retried)).toEqual([0, 1, 2, 3]);
  });

  it("takes the retries option, and succeeds when a retry does", async () => {
    let attempts = 0;
    const result = await replay(
      async (context) => {
        await context.run("flaky", () => {
          if (++attempts < 3) throw new Error("not yet");
          return "ok";
        });
      },
      { retries: 5 },
    );
    expect(result.status).toBe("completed");
    expect(result.invocations).toBe(4); // 2 failures, the success, the completion
    const none = await replay(async (context) => void (await context.run("x", () => { throw new Error("x"); })), { retries: 0 });
    expect(none.invocations).toBe(1);
  });

  it("calls failureFunction with the SDK's arguments after the retries", async () => {
    const calls: unknown[] = [];
    const result = await replay(
      async (context: WorkflowContext<{ user: string }>) => {
        await context.run("charge", () => {
          throw new Error("card declined");
        });
      },
      {
        payload: { user: "ada" },
        retries: 1,
        failureFunction: ({ context, failStatus, failResponse }) => {
          calls.push({ payload: context.requestPayload, failStatus, failResponse });
          return "refunded";
        },
      },
    );
    expect(result.status).toBe("failed");
    expect(calls).toEqual([{ payload: { user: "ada" }, failStatus: 500, failResponse: "card declined" }]);
    expect(result.failureFunctionResult).toBe("refunded");
    expect(result.invocations).toBe(3); // two attempts and the failure callback
    expect(result.deliveries.at(-1)!.kind).toBe("failure-callback");
  });

  it("fails at once on WorkflowNonRetryableError, in one invocation", async () => {
    const result = await replay(async (context) => {
      await context.run("validate", () => {
        throw new WorkflowNonRetryableError("bad input");
      });
    });
    expect(result.status).toBe("failed");
    expect(result.invocations).toBe(1);
    expect(result.error).toEqual({ name: "WorkflowNonRetryableError", message: "bad input", status: 489 });
  });

  it("retries after WorkflowRetryAfterError's delay", async () => {
    let attempts = 0;
    const result = await replay(async (context) => {
      await context.run("rate-limited", () => {
        if (++attempts === 1) throw new WorkflowRetryAfterError("slow down", "30s");
        return 1;
      });
    });
    expect(result.status).toBe("completed");
    expect(result.deliveries[1]!.at - result.deliveries[0]!.at).toBe(30_000);
    expect(result.deliveries[0]!.status).toBe(429);
  });

  it("ends the run as cancelled on context.cancel()", async () => {
    let after = false;
    const result = await replay(async (context) => {
      await context.run("one", () => 1);
      await context.cancel();
      after = true;
    });
    expect(result.status).toBe("cancelled");
    expect(result.invocations).toBe(2);
    expect(after).toBe(false);
  });

  it("fails with a clear error when the run never ends within maxInvocations", async () => {
    const result = await replay(
      async (context) => {
        for (let i = 0; ; i++) await context.run(`step-${i}`, () => i);
      },
      { maxInvocations: 20 },
    );
    expect(result.status).toBe("failed");
    expect(result.invocations).toBe(21);
    expect(result.error?.message).toMatch(/reached maxInvocations \(20\) without ending/);
  });

  it("fails a hung delivery after deliveryTimeout, naming the step that never settled", async () => {
    const result = await replay(
      async (context) => {
        await context.run("ok", () => 1);
        await context.run("hangs", () => new Promise(() => {}));
      },
      { deliveryTimeout: 50 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.name).toBe("ReplayTimeoutError");
    expect(result.error?.message).toMatchInlineSnapshot(
      `"[workflow-replay] Delivery 2 did not settle within 50 ms: step 'hangs' (position 2) never settled. A step function that awaits something that never resolves (a real timer, an unanswered promise) hangs the delivery; resolve it or raise the deliveryTimeout option."`,
    );
  });

  it("advances a virtual clock: a week-long sleep ends a week later in virtual time", async () => {
    const result = await replay(async (context) => {
      await context.sleep("a-week", "7d");
      return await context.run("now", () => Date.now());
    });
    expect(result.output as number).toBeGreaterThanOrEqual(DEFAULT_START_TIME + 7 * 86_400_000);
    expect(result.output as number).toBeLessThan(DEFAULT_START_TIME + 7 * 86_400_000 + 60_000);
  });
});

describe("fault plans", () => {
  it("leaves the caller's fault plan as it was, so one plan serves two replays alike", async () => {
    const route = async (context: WorkflowContext<unknown>) => {
      await context.run("a", () => 1);
      await context.run("b", () => 2);
    };
    const faults = { duplicateDeliveries: [2], duplicateSteps: [1], crashAfterStep: [2], failSteps: [{ stepId: 1, attempts: 1 }], order: [1] };
    const before = structuredClone(faults);
    const first = await replay(route, { faults, perturb: false });
    expect(faults).toEqual(before);
    const second = await replay(route, { faults, perturb: false });
    expect(first.deliveries.length).toBeGreaterThan(3); // the faults did act
    expect(second.deliveries.map((d) => [d.kind, d.status, d.retried])).toEqual(first.deliveries.map((d) => [d.kind, d.status, d.retried]));
  });
});
