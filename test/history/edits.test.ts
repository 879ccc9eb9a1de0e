import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { loadHistory, replay, replayHistory } from "../../src/index.js";
import type { Finding, HistoryReplayResult, RecordedHistory } from "../../src/index.js";
import { approval, fanOut, order, type Approval, type Batch, type Order } from "../../fixtures/workflows.js";

const fixture = (name: string) => loadHistory(new URL(`../../fixtures/histories/${name}.json`, import.meta.url).pathname);

type Route<T> = (context: WorkflowContext<T>) => Promise<unknown>;

/** The order workflow with its steps given as a list (name and kind), so each test states its edit. */
function orderWith(steps: Array<[string, "run" | "sleep", string?]>): Route<Order> {
  return async (context) => {
    const { orderId } = context.requestPayload;
    let last: unknown;
    for (const [name, kind, arg] of steps) {
      if (kind === "sleep") await context.sleep(name, (arg ?? "1d") as "1d");
      else last = await context.run(name, () => ({ step: name, orderId }));
    }
    return last;
  };
}

const historyFindings = (result: HistoryReplayResult) => result.findings.filter((f: Finding) => f.kind === "history-incompatible");

describe("replayHistory: the original code", () => {
  it("replays a complete history to the recorded output with no change", async () => {
    const history = await fixture("order-completed");
    const result = await replayHistory(order, history);
    expect(result.status).toBe("completed");
    expect(JSON.stringify(result.output)).toBe(history.output);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.changes).toEqual([]);
    expect(result.compatibility.summary).toBe("compatible");
    expect(historyFindings(result)).toEqual([]);
    // one delivery: QStash redelivers the last recorded message and the route returns
    expect(result.invocations).toBe(1);
  });

  it("continues a run stopped at a sleep and completes it like the original run", async () => {
    const history = await fixture("order-at-sleep");
    const complete = await fixture("order-completed");
    const result = await replayHistory(order, history);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.status).toBe("completed");
    expect(JSON.stringify(result.output)).toBe(complete.output);
    expect(result.steps.map((s) => s.stepName)).toEqual(complete.steps.map((s) => s.stepName));
  });

  it("continues a run stopped at a wait: the walk stops at the pending wait", async () => {
    const history = await fixture("approval-waiting");
    const result = await replayHistory(approval, history, { events: { "approval-req_2": { approved: true } } });
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.walk.ended).toBe("pending-step");
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ requestId: "req_2", approved: true });
  });

  it("replays a history with a parallel group", async () => {
    const history = await fixture("fan-out-completed");
    const result = await replayHistory(fanOut, history);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.recordedSteps).toBe(5);
    expect(JSON.stringify(result.output)).toBe(history.output);
  });
});

describe("replayHistory: each kind of edit", () => {
  const recorded: Array<[string, "run" | "sleep", string?]> = [
    ["validate", "run"],
    ["charge", "run"],
    ["cool-off", "sleep", "1d"],
    ["ship", "run"],
  ];
  let history: RecordedHistory;
  const record = async () => (history ??= (await replay(orderWith(recorded), { payload: { orderId: "o1", amount: 1 }, workflowRunId: "edits", perturb: false })).history);

  it("rename: incompatible, with the SDK's own error text", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["charge-card", "run"], ["cool-off", "sleep"], ["ship", "run"]]), await record());
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position])).toEqual([["renamed", 2]]);
    expect(result.compatibility.production?.error).toBe("Incompatible step name. Expected 'charge-card', got 'charge' from the request");
    expect(result.status).toBe("failed");
    expect(historyFindings(result).map((f) => f.message)).toMatchInlineSnapshot(`
      [
        "Step 2 was recorded as 'charge' (Run) and today's code names it 'charge-card'. An in-flight run with this history fails on its next delivery: the SDK answers 500 "Incompatible step name. Expected 'charge-card', got 'charge' from the request", and QStash retries until the run fails.",
      ]
    `);
    expect(result.compatibility.summary).toMatchInlineSnapshot(`"incompatible: step 2 renamed 'charge' → 'charge-card'"`);
  });

  it("remove a step in the middle: incompatible", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["cool-off", "sleep"], ["ship", "run"]]), await record());
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.sdkDetects])).toEqual([["removed", 2, true]]);
    expect(result.compatibility.production?.error).toBe("Incompatible step name. Expected 'cool-off', got 'charge' from the request");
    expect(historyFindings(result)[0]!.message).toMatchInlineSnapshot(
      `"Step 2 'charge' (Run) is recorded, but today's code no longer issues it. An in-flight run with this history fails on its next delivery: the SDK answers 500 "Incompatible step name. Expected 'cool-off', got 'charge' from the request", and QStash retries until the run fails."`,
    );
  });

  it("remove the last step: a warning the SDK never reports, not a failure", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep"]]), await record());
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.severity, c.sdkDetects])).toEqual([["removed", 4, "warning", false]]);
    expect(result.status).toBe("completed");
    expect(historyFindings(result)[0]!.message).toMatchInlineSnapshot(
      `"Step 4 'ship' (Run) is recorded, but today's code returns before it. The SDK does not detect this: an in-flight run that reaches this point completes without it, and the recorded result is ignored."`,
    );
    const strict = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep"]]), await record(), { strict: true });
    expect(strict.compatibility.compatible).toBe(false);
  });

  it("reorder two steps: incompatible", async () => {
    const result = await replayHistory(orderWith([["charge", "run"], ["validate", "run"], ["cool-off", "sleep"], ["ship", "run"]]), await record());
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.current?.position])).toEqual([["reordered", 2, 1]]);
    expect(result.compatibility.production?.error).toBe("Incompatible step name. Expected 'charge', got 'validate' from the request");
  });

  it("insert a step in the middle: incompatible, and the steps after it still match", async () => {
    const result = await replayHistory(
      orderWith([["validate", "run"], ["reserve", "run"], ["charge", "run"], ["cool-off", "sleep"], ["ship", "run"]]),
      await record(),
    );
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.current?.name])).toEqual([["inserted", 2, "reserve"]]);
    expect(result.compatibility.production?.error).toBe("Incompatible step name. Expected 'reserve', got 'charge' from the request");
    expect(historyFindings(result)[0]!.message).toMatchInlineSnapshot(
      `"Today's code issues a new step 'reserve' (Run) as step 2, before steps the history already recorded. An in-flight run with this history fails on its next delivery: the SDK answers 500 "Incompatible step name. Expected 'reserve', got 'charge' from the request", and QStash retries until the run fails."`,
    );
  });

  it("append a step at the end: compatible, no finding", async () => {
    const result = await replayHistory(
      orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep"], ["ship", "run"], ["notify", "run"]]),
      await record(),
    );
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.appended).toEqual(["notify"]);
    expect(result.compatibility.changes.map((c) => [c.kind, c.severity])).toEqual([["appended", "info"]]);
    expect(historyFindings(result)).toEqual([]);
    expect(result.compatibility.summary).toBe("compatible: 'notify' appended");
    // the in-flight run simply continues into the new step
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ step: "notify", orderId: "o1" });
  });

  it("change a sleep duration: a warning, since in-flight runs keep the recorded duration", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep", "2d"], ["ship", "run"]]), await record());
    expect(result.compatibility.compatible).toBe(true);
    const [change] = result.compatibility.changes;
    expect(change).toMatchObject({ kind: "inputs-changed", position: 3, severity: "warning", sdkDetects: false });
    expect(change!.recorded!.inputs).toEqual({ sleepFor: "1d" });
    expect(change!.current!.inputs).toEqual({ sleepFor: "2d" });
    expect(historyFindings(result)[0]!.message).toMatchInlineSnapshot(
      `"Step 3 'cool-off' (SleepFor) was recorded with sleepFor "1d"; today's code passes sleepFor "2d". The SDK does not detect this (it compares only step names, types and parallel widths): an in-flight run keeps the recorded value and runs on; only new runs get the new one."`,
    );
    const strict = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep", "2d"], ["ship", "run"]]), await record(), { strict: true });
    expect(strict.compatibility.compatible).toBe(false);
    expect(historyFindings(strict)[0]!.severity).toBe("error");
  });

  it("the same duration written differently is no change", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep", "24h"], ["ship", "run"]]), await record());
    expect(result.compatibility.changes).toEqual([]);
  });

  it("change a step's type: incompatible", async () => {
    const result = await replayHistory(orderWith([["validate", "run"], ["charge", "sleep", "1s"], ["cool-off", "sleep"], ["ship", "run"]]), await record());
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.current?.type])).toEqual([["type-changed", 2, "SleepFor"]]);
    expect(result.compatibility.production?.error).toBe("Incompatible step type. Expected 'SleepFor', got 'Run' from the request");
  });

  it("widen a Promise.all: incompatible, with the SDK's parallel-count error", async () => {
    const widened: Route<Batch> = async (context) => {
      const items = await context.run("load", () => context.requestPayload.items);
      const [sum, max] = await Promise.all([
        context.run("sum", () => items.reduce((a, b) => a + b, 0)),
        context.run("max", () => Math.max(...items)),
        context.sleep("throttle", 10),
        context.run("min", () => Math.min(...items)),
      ]);
      return await context.run("combine", () => ({ sum, max, count: items.length }));
    };
    const result = await replayHistory(widened, await fixture("fan-out-completed"));
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.recorded?.width, c.current?.width])).toEqual([["width-changed", 2, 3, 4]]);
    expect(result.compatibility.production?.error).toMatch(/^Incompatible number of parallel steps when call state was '\w+'\. Expected 4, got 3 from the request\.$/);
    expect(historyFindings(result)[0]!.message).toContain("The parallel group at step 2 was recorded with 3 branches (sum, max, throttle); today's code runs 4 (sum, max, throttle, min).");
  });

  it("rename a wait the run is still waiting on: incompatible once the event arrives", async () => {
    const renamed: Route<Approval> = async (context) => {
      const { requestId } = context.requestPayload;
      await context.run("request-approval", () => ({ requestId, sentTo: "manager@example.com" }));
      const decision = await context.waitForEvent<{ approved: boolean }>("wait-for-manager", `approval-${requestId}`, { timeout: "3d" });
      return await context.run("finalize", () => ({ requestId, approved: !decision.timeout && decision.eventData.approved }));
    };
    const result = await replayHistory(renamed, await fixture("approval-waiting"));
    expect(result.compatibility.compatible).toBe(false);
    expect(result.compatibility.changes.map((c) => [c.kind, c.position, c.pending])).toEqual([["renamed", 2, true]]);
    // the redelivery itself succeeds: the mismatch only shows when QStash appends the pending wait
    expect(result.compatibility.production?.status).toBe(200);
    expect(historyFindings(result)[0]!.message).toMatchInlineSnapshot(
      `"Step 2 was recorded as 'await-decision' (Wait) and today's code names it 'wait-for-manager'. When QStash appends the pending 'await-decision' step (the event arrives, the wait times out or the call returns), the SDK answers 500 "Incompatible step name. Expected 'wait-for-manager', got 'await-decision' from the request" and QStash retries until the run fails."`,
    );
  });

  it("a change past where a partial history stops is not reported", async () => {
    const history = await fixture("order-at-sleep");
    const result = await replayHistory(orderWith([["validate", "run"], ["charge", "run"], ["cool-off", "sleep"], ["ship-it", "run"]]), history);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.compatibility.appended).toEqual(["ship-it"]);
  });
});

describe("replayHistory: misuse", () => {
  it("rejects options the history fixes", async () => {
    const history = await fixture("order-completed");
    await expect(replayHistory(order, history, { payload: {} } as never)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ReplayUsageError: [workflow-replay] Failed to replay history: the "payload" option cannot be used, the history fixes it. Edit the history instead.]`,
    );
  });

  it("rejects a broken history naming the field", async () => {
    const history = await fixture("order-completed");
    const broken = { ...history, steps: history.steps.map((s, i) => (i === 2 ? { ...s, stepType: "Runn" } : s)) } as RecordedHistory;
    await expect(replayHistory(order, broken)).rejects.toThrowErrorMatchingInlineSnapshot(`[HistoryError: [workflow-replay] Failed to replay history wfr_order-completed: steps[2].stepType must be one of Initial, Run, SleepFor, SleepUntil, Call, Wait, Notify, Invoke, CreateWebhook, WaitForWebhook, got "Runn". Fix the field or record the history again.]`);
  });
});
