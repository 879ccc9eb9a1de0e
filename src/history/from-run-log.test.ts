import type { WorkflowRunLog } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { approval, fanOut } from "../../fixtures/workflows.js";
import { replay } from "../replay.js";
import { historyFromRunLog } from "./from-run-log.js";
import { replayHistory } from "./replay-history.js";

const base = { callType: "step", messageId: "m", retries: 0, createdAt: 0, headers: {} };

/** A completed fan-out run as client.logs() lists it: groups, no plan steps, outs as stored strings. */
const fanOutLog = {
  workflowRunId: "wfr_log",
  workflowUrl: "https://example.com/api/fan-out",
  workflowState: "RUN_SUCCESS",
  workflowRunCreatedAt: 1735689600000,
  workflowRunResponse: `{"sum":14,"max":5,"count":5}`,
  steps: [
    { type: "sequential", steps: [{ ...base, stepName: "init", stepType: "Initial", out: `{"items":[3,1,4,1,5]}`, concurrent: 1, state: "STEP_SUCCESS" }] },
    { type: "sequential", steps: [{ ...base, stepId: 1, stepName: "load", stepType: "Run", out: "[3,1,4,1,5]", concurrent: 1, state: "STEP_SUCCESS" }] },
    {
      type: "parallel",
      steps: [
        { ...base, stepId: 2, stepName: "sum", stepType: "Run", out: "14", concurrent: 3, state: "STEP_SUCCESS" },
        { ...base, stepId: 3, stepName: "max", stepType: "Run", out: "5", concurrent: 3, state: "STEP_SUCCESS" },
        { ...base, stepId: 4, stepName: "throttle", stepType: "SleepFor", sleepFor: 10, concurrent: 3, state: "STEP_SUCCESS" },
      ],
    },
    { type: "sequential", steps: [{ ...base, stepId: 5, stepName: "combine", stepType: "Run", out: `{"sum":14,"max":5,"count":5}`, concurrent: 1, state: "STEP_SUCCESS" }] },
  ],
} as unknown as WorkflowRunLog;

describe("historyFromRunLog", () => {
  it("synthesizes the plan steps of a parallel group, so the run replays to its recorded output", async () => {
    const history = historyFromRunLog(fanOutLog);
    expect(history.source).toBe("run-log");
    expect(history.status).toBe("completed");
    expect(history.payload).toBe(`{"items":[3,1,4,1,5]}`);
    const reference = await replay(fanOut, { payload: { items: [3, 1, 4, 1, 5] }, perturb: false });
    // the same positions and plan steps as a real run; publish order within the group differs only by the sleep delay
    const key = (s: { stepId: number; targetStep?: number; stepName: string }) => `${s.stepId}:${s.targetStep ?? ""}:${s.stepName}`;
    expect(history.steps.map(key).sort()).toEqual(reference.history.steps.map(key).sort());
    const result = await replayHistory(fanOut, history);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.status).toBe("completed");
    expect(JSON.stringify(result.output)).toBe(history.output);
  });

  it("turns a wait in progress into a pending step, so renaming it is still caught", async () => {
    const log = {
      workflowRunId: "wfr_wait",
      workflowUrl: "https://example.com/api/approval",
      workflowState: "RUN_STARTED",
      workflowRunCreatedAt: 1735689600000,
      steps: [
        { type: "sequential", steps: [{ ...base, stepName: "init", stepType: "Initial", out: `{"requestId":"r"}`, concurrent: 1, state: "STEP_SUCCESS" }] },
        { type: "sequential", steps: [{ ...base, stepId: 1, stepName: "request-approval", stepType: "Run", out: `{"requestId":"r"}`, concurrent: 1, state: "STEP_SUCCESS" }] },
        {
          type: "sequential",
          steps: [{ ...base, stepId: 2, stepName: "await-decision", stepType: "Wait", concurrent: 1, state: "STEP_PROGRESS", waitEventId: "approval-r", waitTimeoutDuration: "3d", waitTimeoutDeadline: 0, waitTimeout: false }],
        },
        { type: "next", steps: [{ messageId: "m9", state: "STEP_PROGRESS", retries: 0 }] },
      ],
    } as unknown as WorkflowRunLog;
    const history = historyFromRunLog(log);
    expect(history.status).toBe("waiting");
    expect(history.pending).toEqual([{ stepId: 2, stepName: "await-decision", stepType: "Wait", waitEventId: "approval-r", timeout: "3d", concurrent: 1 }]);
    const result = await replayHistory(approval, history, { events: { "approval-r": { approved: true } } });
    expect(result.compatibility.compatible).toBe(true);
    expect(result.output).toEqual({ requestId: "r", approved: true });
  });

  it("base64-encodes a wait's event data when the log shows it decoded", () => {
    const log = {
      ...fanOutLog,
      steps: [
        fanOutLog.steps[0],
        { type: "sequential", steps: [{ ...base, stepId: 1, stepName: "w", stepType: "Wait", out: `{"approved":true}`, concurrent: 1, state: "STEP_SUCCESS", waitTimeout: false }] },
      ],
    } as unknown as WorkflowRunLog;
    const step = historyFromRunLog(log).steps[1]!;
    expect(Buffer.from(step.out as string, "base64").toString("utf8")).toBe(`{"approved":true}`);
  });

  it("rejects something that is not a run log", () => {
    expect(() => historyFromRunLog({} as WorkflowRunLog)).toThrow("[workflow-replay] Failed to import run log: expected one run of client.logs()");
  });
});
