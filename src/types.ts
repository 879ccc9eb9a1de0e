import type { RequestHandler } from "msw";
import type { RouteFunction, Step } from "@upstash/workflow";

/** The stable ids of everything workflow-replay reports. */
export type FindingKind =
  | "nondeterminism"
  | "nondeterministic-source"
  | "side-effect-outside-step"
  | "duplicate-step-name"
  | "non-serializable-result"
  | "nested-step"
  | "swallowed-abort"
  | "unawaited-step"
  | "payload-mutation"
  | "limit-exceeded"
  | "function-timeout"
  | "non-idempotent-step"
  | "history-incompatible"
  | "early-return"
  | "caught-step-error"
  | "callback-dry-run"
  | "lost-step-state";

export type Severity = "error" | "warning";

/** A source position in the user's code, taken from a stack trace. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One replay bug, with where it happened and what to do about it. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The whole story in one paragraph: what happened, where, why it breaks under replay, what to do. */
  message: string;
  stepName?: string;
  stepId?: number;
  /** 1-based number of the delivery (invocation) it was seen in. */
  invocation?: number;
  location?: SourceLocation;
  hint?: string;
  /** For divergences: what was expected (recorded) and what was received (today's code). */
  expected?: unknown;
  received?: unknown;
}

export type RunStatus = "completed" | "failed" | "cancelled" | "waiting";

/** Why a run failed: the body the endpoint answered with on its last attempt. */
export interface ReplayError {
  name: string;
  message: string;
  /** HTTP status of the failing delivery (500, 489, 400, ...). */
  status: number;
  /** The step whose function threw, when the SDK would name it (`Upstash-Error-Step-Name`). */
  stepName?: string;
}

/** What one delivery (one request QStash made to the endpoint) did. */
export interface DeliveryRecord {
  /** 1-based invocation number. */
  invocation: number;
  kind: "step" | "callback" | "failure-callback";
  /** Virtual time of the delivery, ms since the epoch. */
  at: number;
  /**
   * How long the delivery ran on the virtual clock, ms: what the function would run for in production.
   * Zero unless code in the delivery waited on a timer (`setTimeout`, msw's `delay()`, ...).
   */
  durationMs: number;
  /** Size of the request body QStash sent, bytes (a step delivery carries every recorded step). */
  bodyBytes: number;
  /** Set when the function host stopped the delivery at its maxDuration (option `host`). */
  hostTimeout?: { host: string; limitMs: number; stepName?: string; position?: number; after?: string };
  /** How many times this message had been retried before (`Upstash-Retried`). */
  retried: number;
  /** Number of steps in the delivered body (Initial included). */
  bodySteps: number;
  /** HTTP status the endpoint answered with. */
  status: number;
  /** `finishCondition` or a short description of the outcome. */
  outcome: string;
  /** Steps this delivery submitted (result steps and plan steps). */
  submitted: Step[];
  /** Names of the steps served from history during this delivery, in order. */
  replayed: string[];
  error?: { name: string; message: string };
}

/** Per-kind severity override. */
export type ChecksOption = Partial<Record<FindingKind, Severity | "off">>;

/** When an event arrives, relative to the wait that listens for it. */
export interface EventSpec {
  data: unknown;
  /**
   * Delay after the wait is registered (seconds or a duration like "10s"); default 0.
   * "never" keeps the event from arriving (the wait times out). "before": notified with the run id
   * before the wait started, kept by QStash's lookback and handed over as soon as the run waits.
   */
  after?: number | string | "never" | "before";
}

/** A request made to a webhook created with `context.createWebhook`. */
export interface WebhookRequestSpec {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Path and query appended to the webhook URL's host, default the webhook path. */
  path?: string;
}

/** Arguments the harness passes to a `failureFunction`, like the SDK's. */
export interface FailureFunctionArgs<TPayload = unknown> {
  context: import("@upstash/workflow").WorkflowContext<TPayload>;
  failStatus: number;
  failResponse: string;
  failHeaders: Record<string, string[]>;
  failStack: string;
}

/** Options of {@link replay}. */
export interface ReplayOptions<TPayload = unknown> {
  /** Initial request payload. A string is sent as-is, anything else as JSON (like a trigger body). */
  payload?: TPayload | string;
  /** User headers on the trigger; QStash re-attaches them to every delivery. */
  headers?: Record<string, string>;
  /** Fixed run id (`wfr_` is added when missing). Default: derived from the seed. */
  workflowRunId?: string;
  /** The workflow URL. Default `https://workflow-replay.test/api/workflow`. */
  url?: string;
  /** `context.env`. Default `{}`. */
  env?: Record<string, string | undefined>;
  /** Events delivered when the run waits on that id; absent ids time out. */
  events?: Record<string, unknown | EventSpec>;
  /** Requests delivered to webhooks, keyed by the `createWebhook` step name; absent ones time out. */
  webhooks?: Record<string, WebhookRequestSpec>;
  /** msw request handlers answering `context.call` targets and any request the workflow makes. */
  handlers?: RequestHandler[];
  /** Run retries per delivery. Default 3, like QStash. */
  retries?: number;
  /** Called like the SDK's `failureFunction` when the run fails after its retries. */
  failureFunction?: (args: FailureFunctionArgs<TPayload>) => Promise<unknown> | unknown;
  /** Workflows reachable by `context.invoke` and `context.call({ workflow })`, keyed by workflow id. */
  workflows?: Record<string, RouteFunction<any, any>>;
  /** Everything random in the harness derives from it. Default 1. */
  seed?: number | string;
  /** Severity overrides per finding kind ("off" disables a detector). */
  checks?: ChecksOption;
  /** Labels of the run (`context.labels`). */
  label?: string | string[];
  /** Virtual start time (ms since the epoch, or a Date). Default 2025-01-01T00:00:00Z. */
  startTime?: number | Date;
  /** Stop the simulation (status "waiting") when the next delivery is later than this many ms of virtual time. */
  until?: number;
  /** Parse the raw payload like `serve({ initialPayloadParser })`. */
  initialPayloadParser?: (raw: string) => TPayload;
  /** Validate the payload like `serve({ schema })` (anything with `parse`). */
  schema?: { parse: (value: unknown) => TPayload };
  /** Upper bound on invocations before the run is failed as runaway. Default 5,000. */
  maxInvocations?: number;
  /** Real-time bound on one delivery, in ms, before it is failed as hung. Default 5,000. */
  deliveryTimeout?: number;
  /** Run the perturbation pass of the nondeterminism detector. Default true. */
  perturb?: boolean;
  /** Internal hooks (fault injection, scheduling) used by workflow-replay/fast-check. */
  faults?: FaultPlan;
  /**
   * The function host: `"vercel-hobby"`, `"vercel-pro"`, `"vercel-enterprise"` (Fluid compute defaults)
   * or `{ maxDuration: "15m", name?, memory?, fluid? }`. A delivery running longer is stopped with 504 as
   * the host stops it, QStash retries it, and a `function-timeout` finding names the step.
   */
  host?: import("./limits/options.js").HostOption;
  /**
   * The Upstash plan: `"free"`, `"pay-as-you-go"`, `"fixed-1m"`, `"fixed-10m"` or an object of limits.
   * Its limits become `limit-exceeded` findings, its price `usage.costUsd`.
   */
  plan?: import("./limits/options.js").PlanOption;
  /** How many runs a day to check the plan's steps-per-day limit against. Default 1. */
  runsPerDay?: number;
}

/** Faults injected into a run (used by workflow-replay/fast-check; plain data so it can be printed). */
export interface FaultPlan {
  /** Fail attempt(s) of a step's delivery: the step runs, then the delivery answers 500. */
  failSteps?: Array<{ stepId: number; attempts: number }>;
  /** Crash after the step body ran but before its result was recorded (the step runs again). */
  crashAfterStep?: number[];
  /** Deliver these messages twice (1-based invocation numbers of the first delivery). */
  duplicateDeliveries?: number[];
  /** Deliver twice the message whose delivery ran step `stepId` (its first attempt): the step runs again. */
  duplicateSteps?: number[];
  /**
   * Which delivery to take each time several are ready at the same virtual time: one entry per such
   * choice, in order (an index into the ready list in publish order, modulo its length); past the
   * end of the list, publish order.
   */
  order?: number[];
}

/** A JSON-serializable recorded history (see `workflow-replay/history@1`). */
export interface RecordedHistory {
  format: "workflow-replay/history@1";
  workflowRunId: string;
  workflowUrl: string;
  createdAt: number;
  payload: string | null;
  headers: Record<string, string>;
  /** The SDK-format steps in publish order: Initial first, then plan and result steps. */
  steps: Step[];
  /** Where it came from: "replay", "delivery" (a captured QStash request), "run-log" (`client.logs()`), or free text. */
  source?: string;
  /** When it was recorded (ISO 8601). */
  recordedAt?: string;
  /** Labels of the run (`context.labels`). */
  labels?: string[];
  /** How the recorded run stood: a run still "waiting" is in flight (stopped at a sleep, a wait, a call). */
  status?: RunStatus;
  /** The run's JSON output when it completed. */
  output?: string;
  /**
   * Steps the run submitted that QStash has not appended yet: a registered `waitForEvent` /
   * `waitForWebhook`, a `context.call` whose callback has not come back. QStash will append them
   * under these names, so today's code must still issue them there.
   */
  pending?: Step[];
}

/** What one run uses on QStash and on the function host (see docs/guide/platform-limits.md). */
export interface Usage {
  /**
   * Steps Upstash bills: deliveries to the workflow URL (retries included, `context.call` callbacks not)
   * plus each request to a `context.call` target. run/sleep/waitForEvent 1, call 2, parallel steps 2 each, +1 trigger.
   */
  billedSteps: number;
  /** Requests QStash made to the workflow endpoint (the run and its invoked children). */
  deliveries: number;
  /** Requests QStash made to `context.call` targets, each attempt. */
  calls: number;
  /** The longest delivery on the virtual clock, ms. */
  longestDeliveryMs: number;
  /** Function time of all deliveries together, ms. */
  computeMs: number;
  /** The largest request body QStash sent, bytes. */
  largestBodyBytes: number;
  /** `billedSteps` at the plan's price per step (pay-as-you-go, $1 per 100K steps, when no plan is given). */
  costUsd: number;
  /** The plan's name, when the run had a `plan`. */
  plan?: string;
  /** The host's name and maxDuration, when the run had a `host`. */
  host?: string;
  hostLimitMs?: number;
}

/** What a replay returns. It never throws for a failed run or a finding. */
export interface ReplayResult<TOutput = unknown> {
  status: RunStatus;
  /** The route function's return value, after the JSON round trip QStash applies. */
  output: TOutput | undefined;
  error?: ReplayError;
  /** The run's history in the SDK's Step format: Initial, plan and result steps. */
  steps: Step[];
  /** Every request QStash made to the endpoint for this run. */
  invocations: number;
  /** What each invocation did, in order. */
  deliveries: DeliveryRecord[];
  /** Billed steps, function time, body sizes and cost of the run (and the child runs it started). */
  usage: Usage;
  findings: Finding[];
  seed: number | string;
  workflowRunId: string;
  /** Virtual time when the run ended (ms since the epoch). */
  endedAt: number;
  history: RecordedHistory;
  /** What `failureFunction` returned, when it ran. */
  failureFunctionResult?: unknown;
  /** Runs started by `context.invoke` / `context.call({ workflow })`, by run id. */
  children: Record<string, Omit<ReplayResult, "children" | "published">>;
  /**
   * What the application itself sent to QStash during the replay (`@upstash/qstash`'s `Client`:
   * publish, batch, enqueue, schedules), in order, when no msw handler answered it. Recorded, never
   * delivered, and never part of the run's history.
   */
  published: PublishedMessage[];
}

/** One message (or schedule) the application sent to QStash itself, as the QStash model accepted it. */
export interface PublishedMessage {
  /** Which QStash API took it. */
  api: "publish" | "batch" | "enqueue" | "schedule";
  /** Where QStash would deliver it: a URL, a URL group name, or an api provider's URL. */
  destination: string;
  /** The message body as sent (JSON text for `publishJSON`). */
  body: string | undefined;
  /** Headers QStash would forward to the destination (`Upstash-Forward-*` without the prefix), and content-type. */
  headers: Record<string, string>;
  /** `Upstash-Delay`, e.g. "10s". */
  delay?: string;
  /** `Upstash-Not-Before`, unix seconds. */
  notBefore?: number;
  /** `Upstash-Method` (the method QStash would deliver with). */
  method?: string;
  /** The queue of an `enqueue`. */
  queue?: string;
  /** The cron expression of a schedule. */
  cron?: string;
  /** The id QStash answered with (message id, or schedule id). Deterministic: `msg_app_1`, `scd_app_2`... */
  messageId: string;
  /** The delivery during which it was sent (absent when sent outside any delivery). */
  invocation?: number;
}

export type { Step };
