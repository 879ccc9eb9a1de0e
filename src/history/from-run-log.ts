import type { Step, StepType, WorkflowRunLog } from "@upstash/workflow";
import type { RecordedHistory, RunStatus } from "../types.js";
import { bytesToBinaryString, encodeBase64 } from "../util/base64.js";
import { HistoryError } from "./errors.js";
import { checked } from "./format.js";
import { HISTORY_FORMAT } from "./validate.js";

type StepLogGroup = WorkflowRunLog["steps"][number];
type AnyStepLog = Record<string, unknown> & { stepName?: string; stepType?: string; stepId?: number; out?: unknown; state?: string; callType?: string; concurrent?: number };

/** Options of {@link historyFromRunLog}. */
export interface RunLogImportOptions {
  /** The trigger payload when the log's Initial step does not carry it (raw body string). */
  payload?: string;
  /** User headers of the trigger (logs carry per-step headers only). */
  headers?: Record<string, string>;
}

const STATES: Record<WorkflowRunLog["workflowState"], RunStatus> = {
  RUN_STARTED: "waiting",
  RUN_SUCCESS: "completed",
  RUN_FAILED: "failed",
  RUN_CANCELED: "cancelled",
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function utf8Binary(text: string): string {
  return bytesToBinaryString(new TextEncoder().encode(text));
}

/** The step's `out` in the SDK's stored encoding, as far as the log lets us tell (see docs/decisions/0602). */
function encodeOut(log: AnyStepLog, type: string): string | undefined {
  const out = log.out;
  if (type === "Call") {
    const status = log.callResponseStatus as number | undefined;
    if (status === undefined) return typeof out === "string" ? out : out === undefined ? undefined : JSON.stringify(out);
    const body = log.callResponseBody;
    const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
    return JSON.stringify({ status, body: utf8Binary(text), header: log.callResponseHeaders ?? {} });
  }
  if (out === undefined || out === null) return undefined;
  if (type === "Wait" || type === "WaitForWebhook") {
    const text = typeof out === "string" ? out : JSON.stringify(out);
    return BASE64.test(text) && text.length % 4 === 0 && text.length > 0 ? text : encodeBase64(text);
  }
  return typeof out === "string" ? out : JSON.stringify(out);
}

function inputFields(log: AnyStepLog): Partial<Step> {
  const fields: Record<string, unknown> = {};
  if (log.sleepFor !== undefined) fields.sleepFor = log.sleepFor;
  if (log.sleepUntil !== undefined) fields.sleepUntil = log.sleepUntil;
  if (log.waitEventId !== undefined) fields.waitEventId = log.waitEventId;
  if (log.waitTimeoutDuration !== undefined) fields.timeout = log.waitTimeoutDuration;
  return fields as Partial<Step>;
}

/** Step types a run can stop at (a wait, a call or an invoke in flight): recorded as pending when not done. */
function canBePending(type: string): boolean {
  return type === "Wait" || type === "WaitForWebhook" || type === "Call" || type === "Invoke";
}

/** A finished step of the log, as the SDK would have recorded it. */
function resultFromLog(log: AnyStepLog, type: string, id: number, concurrent: number): Step {
  const out = encodeOut(log, type);
  return {
    stepId: id,
    stepName: String(log.stepName),
    stepType: type as StepType,
    ...(out !== undefined ? { out } : {}),
    ...inputFields(log),
    concurrent,
    ...(log.waitTimeout !== undefined && (type === "Wait" || type === "WaitForWebhook") ? { waitTimeout: log.waitTimeout } : {}),
  } as Step;
}

/** A step the run is stopped at (no result yet). */
function pendingFromLog(log: AnyStepLog, type: string, id: number, concurrent: number): Step {
  return { stepId: id, stepName: String(log.stepName), stepType: type as StepType, ...inputFields(log), concurrent } as Step;
}

function isDone(log: AnyStepLog, type: string): boolean {
  if (type === "SleepFor" || type === "SleepUntil") return true;
  if (type === "Wait" || type === "WaitForWebhook") return log.state === "STEP_SUCCESS" || log.out !== undefined || log.waitTimeout === true;
  if (type === "Call") return log.callResponseStatus !== undefined || (log.state === "STEP_SUCCESS" && log.out !== undefined);
  return log.state === "STEP_SUCCESS" || log.out !== undefined;
}

/**
 * Builds a history, best effort, from a run returned by `client.logs()` (`WorkflowRunLog`). Logs
 * list the steps per group but not the plan steps of parallel groups, so those are synthesized
 * (stepId 0, targetStep, concurrent, sleep and wait fields); pending waits and calls become
 * `pending`; `next` groups (deliveries still in progress or failing) are left out. What logs cannot
 * give back is listed in docs/decisions/0602-run-log-import.md — prefer captured deliveries.
 *
 * @example
 * ```ts
 * import { Client } from "@upstash/workflow";
 * import { historyFromRunLog, saveHistory } from "workflow-replay";
 *
 * const { runs } = await new Client({ token }).logs({ workflowRunId: "wfr_abc" });
 * await saveHistory("fixtures/wfr_abc.json", historyFromRunLog(runs[0]!));
 * ```
 */
export function historyFromRunLog(run: WorkflowRunLog, options: RunLogImportOptions = {}): RecordedHistory {
  if (typeof run !== "object" || run === null || !Array.isArray(run.steps)) {
    throw new HistoryError("Failed to import run log: expected one run of client.logs() (an object with workflowRunId and steps).");
  }
  const steps: Step[] = [];
  const pending: Step[] = [];
  let payload: string | undefined = options.payload;
  let position = 0;
  const seen = new Set<number>();
  const groups = run.steps as StepLogGroup[];
  for (const group of groups) {
    if (group.type === "next") continue;
    const logs = group.steps as unknown as AnyStepLog[];
    if (logs.length > 0 && logs[0]!.stepType === "Initial") {
      if (payload === undefined && logs[0]!.out !== undefined) {
        const out = logs[0]!.out;
        payload = typeof out === "string" ? out : JSON.stringify(out);
      }
      continue;
    }
    if (group.type === "parallel") {
      const width = logs.length;
      const start = position + 1;
      const members = logs.map((log, i) => ({ log, id: typeof log.stepId === "number" && log.stepId > 0 ? log.stepId : start + i }));
      for (const { log, id } of members) {
        steps.push({ stepId: 0, stepName: String(log.stepName), stepType: log.stepType as StepType, ...inputFields(log), concurrent: width, targetStep: id } as Step);
      }
      for (const { log, id } of members) {
        const type = String(log.stepType);
        if (seen.has(id)) continue;
        seen.add(id);
        if (!isDone(log, type)) {
          if (canBePending(type)) pending.push(pendingFromLog(log, type, id, width));
          continue;
        }
        steps.push(resultFromLog(log, type, id, width));
      }
      position = Math.max(position, ...members.map((m) => m.id));
      continue;
    }
    for (const log of logs) {
      const type = String(log.stepType);
      const id = typeof log.stepId === "number" && log.stepId > 0 ? log.stepId : position + 1;
      if (seen.has(id)) continue;
      position = Math.max(position, id);
      if (!isDone(log, type)) {
        if (canBePending(type)) {
          seen.add(id);
          pending.push(pendingFromLog(log, type, id, 1));
        }
        continue;
      }
      seen.add(id);
      steps.push(resultFromLog(log, type, id, 1));
    }
  }
  const status = STATES[run.workflowState];
  const history: RecordedHistory = {
    format: HISTORY_FORMAT,
    source: "run-log",
    workflowRunId: run.workflowRunId,
    workflowUrl: run.workflowUrl,
    createdAt: run.workflowRunCreatedAt,
    ...(run.labels && run.labels.length > 0 ? { labels: [...run.labels] } : run.label ? { labels: [run.label] } : {}),
    ...(status ? { status } : {}),
    ...(status === "completed" && typeof run.workflowRunResponse === "string" ? { output: run.workflowRunResponse } : {}),
    payload: payload ?? null,
    headers: { ...(options.headers ?? {}) },
    steps: [{ stepId: 0, stepName: "init", stepType: "Initial", out: payload ?? "", concurrent: 1 } as Step, ...steps],
    ...(status === "waiting" && pending.length > 0 ? { pending } : {}),
  };
  return checked(history, `import run log ${run.workflowRunId}`);
}
