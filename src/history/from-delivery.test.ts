import { describe, expect, it } from "vitest";
import { historyFromDelivery } from "./from-delivery.js";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const step = (s: Record<string, unknown>) => b64(JSON.stringify(s));
const headers = { "Upstash-Workflow-RunId": "wfr_d", "Upstash-Workflow-Sdk-Version": "1" };

describe("historyFromDelivery", () => {
  it("decodes like the SDK's processRawSteps: Initial first, only callType step, delivery order kept", () => {
    const body = JSON.stringify([
      { messageId: "m0", callType: "step", body: b64(`{"ü":1}`) },
      { messageId: "m1", callType: "step", body: step({ stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 }) },
      { messageId: "m2", callType: "toCallback", body: b64("{}") },
      { messageId: "m3", callType: "fromCallback", body: b64("{}") },
      { messageId: "m4", callType: "step", body: step({ stepId: 2, stepName: "fetch", stepType: "Call", out: `{"status":200}`, concurrent: 1 }) },
    ]);
    const history = historyFromDelivery({
      body,
      headers: { ...headers, "Upstash-Workflow-CreatedAt": "1700000000000", "Upstash-Label": "a,b", "Upstash-Signature": "x", "X-Team": "core", Host: "example.com" },
      url: "https://example.com/api/flow",
    });
    expect(history).toEqual({
      format: "workflow-replay/history@1",
      source: "delivery",
      workflowRunId: "wfr_d",
      workflowUrl: "https://example.com/api/flow",
      createdAt: 1700000000000,
      labels: ["a", "b"],
      payload: `{"ü":1}`,
      headers: { "x-team": "core" },
      steps: [
        { stepId: 0, stepName: "init", stepType: "Initial", out: `{"ü":1}`, concurrent: 1 },
        { stepId: 1, stepName: "one", stepType: "Run", out: "1", concurrent: 1 },
        { stepId: 2, stepName: "fetch", stepType: "Call", out: `{"status":200}`, concurrent: 1 },
      ],
    });
  });

  it("accepts a parsed RawStep[] and Headers", () => {
    const history = historyFromDelivery({ body: [{ messageId: "m0", callType: "step", body: b64("hi") }], headers: new Headers(headers) });
    expect(history.payload).toBe("hi");
    expect(history.steps).toHaveLength(1);
  });

  it.each<[string, Parameters<typeof historyFromDelivery>[0], string]>([
    ["no run id", { body: "[]", headers: {} }, "Failed to import delivery: the Upstash-Workflow-RunId header is missing."],
    ["a call callback", { body: "{}", headers: { ...headers, "Upstash-Workflow-Callback": "true" } }, "it is a context.call callback"],
    ["an empty body (lazy fetch)", { body: "", headers }, "the body is empty. QStash sent it for a lazy fetch (the SDK then GETs /v2/workflows/runs/wfr_d)"],
    ["a payload, not RawStep[]", { body: `{"id":1}`, headers }, "the body must be a non-empty RawStep[] array"],
    ["a broken entry", { body: `[{"messageId":"m"}]`, headers }, "body[0] is not a RawStep ({ messageId, body, callType })"],
    ["a step that is not base64 JSON", { body: JSON.stringify([{ messageId: "m0", callType: "step", body: "" }, { messageId: "m1", callType: "step", body: b64("nope") }]), headers }, "body[1].body is not base64 of a step's JSON"],
    ["a step the format rejects", { body: JSON.stringify([{ messageId: "m0", callType: "step", body: "" }, { messageId: "m1", callType: "step", body: step({ stepId: 1, stepName: "x", stepType: "Jog", concurrent: 1 }) }]), headers }, "Failed to import delivery: steps[1].stepType must be one of"],
  ])("rejects %s with a message that says what to capture", (_, delivery, message) => {
    expect(() => historyFromDelivery(delivery)).toThrow(message);
  });
});
