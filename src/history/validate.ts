import type { Step } from "@upstash/workflow";
import type { RecordedHistory, RunStatus } from "../types.js";
import { FieldError } from "./errors.js";

/** The format id this version reads and writes. */
export const HISTORY_FORMAT = "workflow-replay/history@1";

/** The SDK's `StepTypes` (1.3.3). */
export const STEP_TYPES = [
  "Initial",
  "Run",
  "SleepFor",
  "SleepUntil",
  "Call",
  "Wait",
  "Notify",
  "Invoke",
  "CreateWebhook",
  "WaitForWebhook",
] as const;

const RUN_STATUSES: readonly RunStatus[] = ["completed", "failed", "cancelled", "waiting"];

/** Top-level fields of the format, in the order they are written. */
export const TOP_LEVEL_FIELDS = [
  "format",
  "source",
  "recordedAt",
  "workflowRunId",
  "workflowUrl",
  "createdAt",
  "labels",
  "status",
  "output",
  "payload",
  "headers",
  "steps",
  "pending",
] as const;

const TOP_LEVEL_KEYS = new Set<string>(TOP_LEVEL_FIELDS);

function show(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectString(value: unknown, field: string, what = "a string"): string {
  if (typeof value !== "string") throw new FieldError(field, `must be ${what}, got ${show(value)}`);
  return value;
}

function expectInteger(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new FieldError(field, `must be a whole number >= ${min}, got ${show(value)}`);
  }
  return value;
}

function validateStep(value: unknown, field: string, pending: boolean): Step {
  if (!isRecord(value)) throw new FieldError(field, `must be a step object, got ${show(value)}`);
  const stepType = value.stepType;
  if (typeof stepType !== "string" || !(STEP_TYPES as readonly string[]).includes(stepType)) {
    throw new FieldError(`${field}.stepType`, `must be one of ${STEP_TYPES.join(", ")}, got ${show(stepType)}`);
  }
  const stepId = expectInteger(value.stepId, `${field}.stepId`, 0);
  const name = expectString(value.stepName, `${field}.stepName`);
  if (name === "") throw new FieldError(`${field}.stepName`, "must not be empty");
  expectInteger(value.concurrent, `${field}.concurrent`, 1);
  if (value.targetStep !== undefined) {
    expectInteger(value.targetStep, `${field}.targetStep`, 1);
    if (stepId !== 0) throw new FieldError(`${field}.stepId`, `must be 0 on a plan step (one with targetStep), got ${stepId}`);
  } else if (stepId === 0 && stepType !== "Initial" && !pending) {
    throw new FieldError(`${field}.targetStep`, "is required on a plan step (stepId 0)");
  }
  if (stepType === "Initial" && stepId !== 0) throw new FieldError(`${field}.stepId`, `must be 0 on the Initial step, got ${stepId}`);
  if (value.out !== undefined && typeof value.out !== "string") {
    throw new FieldError(`${field}.out`, `must be a string (the SDK's encoded step output) or absent, got ${show(value.out)}`);
  }
  if (value.sleepFor !== undefined && typeof value.sleepFor !== "number" && typeof value.sleepFor !== "string") {
    throw new FieldError(`${field}.sleepFor`, `must be seconds or a duration like "10s", got ${show(value.sleepFor)}`);
  }
  if (value.sleepUntil !== undefined && typeof value.sleepUntil !== "number") {
    throw new FieldError(`${field}.sleepUntil`, `must be unix seconds, got ${show(value.sleepUntil)}`);
  }
  if (value.waitTimeout !== undefined && typeof value.waitTimeout !== "boolean") {
    throw new FieldError(`${field}.waitTimeout`, `must be true or false, got ${show(value.waitTimeout)}`);
  }
  for (const key of ["waitEventId", "timeout", "callUrl", "callMethod"] as const) {
    if (value[key] !== undefined) expectString(value[key], `${field}.${key}`);
  }
  return value as unknown as Step;
}

/**
 * Checks that a value is a `workflow-replay/history@1` history and returns it typed.
 * Throws a {@link FieldError} naming the first broken field.
 */
export function validateHistory(value: unknown): RecordedHistory {
  if (!isRecord(value)) throw new FieldError("", `a history must be a JSON object, got ${show(value)}`);
  const format = value.format;
  if (format !== HISTORY_FORMAT) {
    const newer = typeof format === "string" && format.startsWith("workflow-replay/history@");
    throw new FieldError(
      "format",
      newer
        ? `is ${show(format)}, which this version of workflow-replay cannot read (it reads "${HISTORY_FORMAT}"); upgrade workflow-replay`
        : `must be "${HISTORY_FORMAT}", got ${show(format)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new FieldError(key, `is not a field of ${HISTORY_FORMAT} (known: ${[...TOP_LEVEL_KEYS].join(", ")})`);
    }
  }
  const runId = expectString(value.workflowRunId, "workflowRunId");
  if (runId === "") throw new FieldError("workflowRunId", "must not be empty");
  const url = expectString(value.workflowUrl, "workflowUrl");
  if (!/^https?:\/\//.test(url)) throw new FieldError("workflowUrl", `must start with http:// or https://, got ${show(url)}`);
  if (typeof value.createdAt !== "number" || !Number.isFinite(value.createdAt) || value.createdAt < 0) {
    throw new FieldError("createdAt", `must be unix milliseconds, got ${show(value.createdAt)}`);
  }
  if (value.payload !== null && typeof value.payload !== "string") {
    throw new FieldError("payload", `must be the raw request body as a string, or null, got ${show(value.payload)}`);
  }
  if (!isRecord(value.headers)) throw new FieldError("headers", `must be an object of header names to strings, got ${show(value.headers)}`);
  for (const [name, header] of Object.entries(value.headers)) {
    expectString(header, `headers[${JSON.stringify(name)}]`);
  }
  for (const key of ["source", "recordedAt", "output"] as const) {
    if (value[key] !== undefined) expectString(value[key], key);
  }
  if (value.status !== undefined && !RUN_STATUSES.includes(value.status as RunStatus)) {
    throw new FieldError("status", `must be one of ${RUN_STATUSES.join(", ")}, got ${show(value.status)}`);
  }
  if (value.labels !== undefined) {
    if (!Array.isArray(value.labels)) throw new FieldError("labels", `must be an array of strings, got ${show(value.labels)}`);
    value.labels.forEach((label, i) => expectString(label, `labels[${i}]`));
  }
  if (!Array.isArray(value.steps)) throw new FieldError("steps", `must be an array of steps, got ${show(value.steps)}`);
  if (value.steps.length === 0) throw new FieldError("steps", "must hold at least the Initial step");
  value.steps.forEach((step, i) => validateStep(step, `steps[${i}]`, false));
  const first = value.steps[0] as Step;
  if (first.stepType !== "Initial") throw new FieldError("steps[0].stepType", `must be "Initial" (the trigger payload), got ${show(first.stepType)}`);
  value.steps.forEach((step, i) => {
    if (i > 0 && (step as Step).stepType === "Initial") throw new FieldError(`steps[${i}].stepType`, `may be "Initial" only at steps[0]`);
  });
  if (value.pending !== undefined) {
    if (!Array.isArray(value.pending)) throw new FieldError("pending", `must be an array of steps, got ${show(value.pending)}`);
    value.pending.forEach((step, i) => {
      const s = validateStep(step, `pending[${i}]`, true);
      if (s.stepType === "Initial") throw new FieldError(`pending[${i}].stepType`, `cannot be "Initial"`);
    });
  }
  return value as unknown as RecordedHistory;
}
