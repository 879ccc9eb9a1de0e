// workflow-replay: a deterministic, offline replay test harness for Upstash Workflow.

// Replaying workflows
export { replay } from "./replay.js";

// The real handler: replayHandler() and the QStash simulator
export { replayHandler } from "./qstash/replay-handler.js";
export { simulatorEnv } from "./qstash/env.js";
export { fromCloudflare, fromExpress, fromHono, fromNextjs, fromServe } from "./qstash/adapters.js";

// Reports and assertions
export { formatReport } from "./report/format-report.js";
export { assertReplay, ReplayAssertionError } from "./assert.js";

// Recorded histories: file format, importers, capture, replay against today's code
export { replayHistory } from "./history/replay-history.js";
export { loadHistory, parseHistory, saveHistory, serializeHistory } from "./history/format.js";
export { historyFromDelivery } from "./history/from-delivery.js";
export { historyFromRunLog } from "./history/from-run-log.js";
export { captureDeliveries } from "./history/capture.js";
export { HistoryError } from "./history/errors.js";

// Detectors
export { trackEffects } from "./detectors/track-effects.js";

// Platform limits and prices (option host, option plan, result.usage)
export { HOST_PRESETS, PLANS } from "./limits/facts.js";

// Errors
export { ReplayUsageError } from "./errors.js";

// Types
export type { TrackEffectsOptions } from "./detectors/track-effects.js";
export type { HistoryCompatibility, HistoryReplayResult, ReplayHistoryOptions } from "./history/replay-history.js";
export type { HistoryChange, HistoryChangeKind, StepShape } from "./history/compare.js";
export type { ProductionAnswer } from "./history/messages.js";
export type { CapturedDelivery } from "./history/from-delivery.js";
export type { RunLogImportOptions } from "./history/from-run-log.js";
export type { CaptureOptions } from "./history/capture.js";
export type { ReportOptions } from "./report/format-report.js";
export type { AssertReplayOptions } from "./assert.js";
export type { ReplayHandlerOptions } from "./qstash/replay-handler.js";
export type { ClosableHandler } from "./qstash/adapters.js";
export type { SimulatorEnv } from "./qstash/env.js";
export type { SignatureMode, SigningKeys } from "./qstash/signing.js";
export type { WorkflowHandler } from "./qstash/wire-endpoint.js";
export type { FactSource, HostLimits, HostPreset, PlanLimits, PlanName } from "./limits/facts.js";
export type { DurationInput, HostOption, PlanOption } from "./limits/options.js";
export type { Budget } from "./limits/budget.js";
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
  Usage,
  WebhookRequestSpec,
} from "./types.js";
