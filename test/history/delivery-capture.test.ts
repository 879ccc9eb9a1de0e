import { serve } from "@upstash/workflow";
import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import {
  captureDeliveries,
  historyFromDelivery,
  replay,
  replayHandler,
  replayHistory,
  simulatorEnv,
} from "../../src/index.js";
import type { HistoryReplayResult, RecordedHistory } from "../../src/index.js";
import { approval, fanOut, order, type Order } from "../../fixtures/workflows.js";

/** What must be identical between two replays of the same run. */
function outcome(result: HistoryReplayResult) {
  return {
    status: result.status,
    output: result.output,
    error: result.error,
    invocations: result.invocations,
    steps: result.steps,
    compatibility: result.compatibility,
    findings: result.findings.map((f) => [f.kind, f.severity, f.message]),
  };
}

/** A replay() history encoded as the `RawStep[]` body QStash would deliver (the last message of the run). */
function asDelivery(history: RecordedHistory): { body: string; headers: Record<string, string> } {
  const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const body = history.steps.map((step, i) => ({
    messageId: `msg_${i}`,
    callType: "step",
    body: i === 0 ? b64(history.payload ?? "") : b64(JSON.stringify(step)),
  }));
  // a context.call leaves toCallback / fromCallback entries in the body; the SDK drops them
  body.splice(1, 0, { messageId: "msg_cb", callType: "toCallback", body: b64("{}") });
  return {
    body: JSON.stringify(body),
    headers: {
      "Upstash-Workflow-RunId": history.workflowRunId,
      "Upstash-Workflow-Sdk-Version": "1",
      "Upstash-Workflow-CreatedAt": String(history.createdAt),
      "Upstash-Message-Id": `msg_${history.steps.length - 1}`,
      "Upstash-Signature": "eyJhbGciOi...",
      "X-Tenant": "acme",
      Authorization: "Bearer secret",
      "content-type": "application/json",
    },
  };
}

const renamed = async (context: WorkflowContext<Order>) => {
  await context.run("validate", () => ({ ok: true }));
  await context.run("charge-card", () => ({ chargeId: "x" }));
  await context.sleep("cool-off", "1d");
  return await context.run("ship", () => ({ trackingId: "t" }));
};

describe("histories from captured deliveries", () => {
  it("a history captured through replayHandler (raw delivery bodies) replays exactly like the one replay() writes", async () => {
    const payload = { orderId: "ord_9", amount: 5 };
    const captured = new Map<string, RecordedHistory>();
    const { handler } = serve(order, { env: simulatorEnv() });
    const wrapped = captureDeliveries(handler, { write: (history) => void captured.set(history.workflowRunId, history) });
    const viaHandler = await replayHandler(wrapped, { payload, workflowRunId: "same-run" });
    expect(viaHandler.status).toBe("completed");
    const fromDelivery = captured.get("wfr_same-run")!;
    expect(fromDelivery.source).toBe("delivery");
    expect(fromDelivery.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const viaReplay = await replay(order, { payload, workflowRunId: "same-run" });
    // the last delivery's body is the whole run: the same steps the simulator logged
    expect(fromDelivery.steps).toEqual(viaReplay.history.steps);
    expect(fromDelivery.payload).toBe(viaReplay.history.payload);

    const a = await replayHistory(order, fromDelivery);
    const b = await replayHistory(order, viaReplay.history);
    expect(a.compatibility.compatible).toBe(true);
    expect(outcome(a)).toEqual(outcome(b));

    const editedA = await replayHistory(renamed, fromDelivery);
    const editedB = await replayHistory(renamed, viaReplay.history);
    expect(editedA.compatibility.compatible).toBe(false);
    expect(outcome(editedA)).toEqual(outcome(editedB));
  });

  it("captures a parallel run through replayHandler with the plan steps in delivery order", async () => {
    const captured: RecordedHistory[] = [];
    const { handler } = serve(fanOut, { env: simulatorEnv() });
    const wrapped = captureDeliveries(handler, { write: (history) => void captured.push(history) });
    const payload = { items: [2, 7, 1] };
    await replayHandler(wrapped, { payload, workflowRunId: "fan" });
    const viaReplay = await replay(fanOut, { payload, workflowRunId: "fan" });
    const last = captured.at(-1)!;
    expect(last.steps).toEqual(viaReplay.history.steps);
    expect(outcome(await replayHistory(fanOut, last))).toEqual(outcome(await replayHistory(fanOut, viaReplay.history)));
  });

  it("a RawStep[] body built from a replay() history imports to the same steps and replays identically", async () => {
    const viaReplay = await replay(order, { payload: { orderId: "o", amount: 3 }, workflowRunId: "encoded", perturb: false });
    const history = historyFromDelivery({ ...asDelivery(viaReplay.history), redactHeaders: ["authorization"] });
    expect(history.steps).toEqual(viaReplay.history.steps);
    expect(history.headers).toEqual({ authorization: "[redacted]", "content-type": "application/json", "x-tenant": "acme" });
    const a = await replayHistory(order, { ...history, headers: {} });
    const b = await replayHistory(order, viaReplay.history);
    expect(outcome(a)).toEqual(outcome(b));
  });
});

describe("replayHandler's result.history", () => {
  it("records the pending wait of a run stopped at waitForEvent, like replay()", async () => {
    const { handler } = serve(approval, { env: simulatorEnv() });
    const options = { payload: { requestId: "req_5" }, workflowRunId: "wait-h", until: 3_600_000 };
    const viaHandler = await replayHandler(handler, options);
    const viaReplay = await replay(approval, options);
    expect(viaHandler.history.status).toBe("waiting");
    expect(viaHandler.history.pending).toEqual([
      { stepId: 2, stepName: "await-decision", stepType: "Wait", concurrent: 1, waitEventId: "approval-req_5", timeout: "3d" },
    ]);
    expect(viaHandler.history).toEqual(viaReplay.history);
  });
});
