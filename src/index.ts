// workflow-replay: a deterministic, offline replay test harness for Upstash Workflow.

// Replaying workflows
export { replay } from "./replay.js";

// Reports and assertions
export { formatReport } from "./report/format-report.js";
export { assertReplay, ReplayAssertionError } from "./assert.js";

// Errors
export { ReplayUsageError } from "./errors.js";

// Types
export type { ReportOptions } from "./report/format-report.js";
export type { AssertReplayOptions } from "./assert.js";
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
