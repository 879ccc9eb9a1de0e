// workflow-replay: a deterministic, offline replay test harness for Upstash Workflow.

// Replaying workflows
export { replay } from "./replay.js";

// Errors
export { ReplayUsageError } from "./errors.js";

// Types
export type {
  ChecksOption,
  DeliveryRecord,
  EventSpec,
  FailureFunctionArgs,
  FaultPlan,
  Finding,
  FindingKind,
  RecordedHistory,
  ReplayError,
  ReplayOptions,
  ReplayResult,
  RunStatus,
  Severity,
  SourceLocation,
  WebhookRequestSpec,
} from "./types.js";
