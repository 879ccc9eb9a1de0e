import { describe, expect, it } from "vitest";
import type { Step } from "@upstash/workflow";
import { encodeDelivery } from "../qstash/wire-format.js";
import type { EndpointDelivery, RunState } from "../engine/wire-types.js";
import { BodySizer } from "./body-size.js";

describe("BodySizer", () => {
  it("measures the same bytes as the request body QStash sends (wire format)", () => {
    const steps: Step[] = [
      { stepId: 0, stepName: "init", stepType: "Initial", out: JSON.stringify({ user: "Zoë", items: [1, 2, 3] }), concurrent: 1 } as Step,
      { stepId: 1, stepName: "load", stepType: "Run", out: JSON.stringify({ rows: "x".repeat(1000) }), concurrent: 1 } as Step,
      { stepId: 2, stepName: "naïve ünïcode", stepType: "Run", out: JSON.stringify("✓"), concurrent: 1 } as Step,
    ];
    const run = { workflowRunId: "wfr_x", url: "https://a.test/api", headers: {}, labels: [], createdAt: 0, messageIds: steps.map((_, i) => `msg_${String(i).padStart(16, "0")}`) } as unknown as RunState;
    const delivery = { run, invocation: 1, kind: "step", retried: 0, messageId: "msg_0", steps, port: undefined as never } as EndpointDelivery;
    const wire = Buffer.byteLength(encodeDelivery(delivery).body, "utf8");
    expect(new BodySizer().bytes(delivery)).toBe(wire);
  });
});
