import type { NotifyResponse, Step } from "@upstash/workflow";
import type { RequestHandler } from "msw";
import type { CallSubmission, InvokeSubmission, QStashPort, WaitSubmission } from "../context/io.js";
import { answerWithHandlers, unhandledRequestMessage } from "../sandbox/network.js";
import { VirtualTimers } from "../sandbox/virtual-timers.js";
import type { HostLimits } from "../limits/facts.js";
import { BodySizer } from "../limits/body-size.js";
import { hostTimeoutResponse } from "../limits/host-timeout.js";
import type { DeliveryRecord, EventSpec, FaultPlan, ReplayError, ReplayOptions, RunStatus, WebhookRequestSpec } from "../types.js";
import { bytesToBinaryString, encodeBase64 } from "../util/base64.js";
import { durationToSeconds } from "../util/duration.js";
import { nanoid, type Prng } from "../util/prng.js";

/** Virtual time one hop (QStash → endpoint, endpoint → QStash) takes. */
export const HOP_MS = 100;
/** QStash's default backoff: min(86400, e^(2.5 n)) seconds for the n-th retry. */
export function backoffMs(retry: number): number {
  return Math.round(Math.min(86_400, Math.exp(2.5 * retry)) * 1000);
}

/** The callback QStash posts after performing a `context.call`. */
export interface CallbackPayload {
  status: number;
  header: Record<string, string[]>;
  /** base64 of the response bytes */
  body: string;
  retried: number;
  maxRetries: number;
  url: string;
  method: string;
  sourceMessageId: string;
  stepId: number;
  stepName: string;
  concurrent: number;
  contentType: string;
}

/** The body QStash posts to the failure callback. */
export interface FailurePayload {
  status: number;
  header: Record<string, string[]>;
  /** base64 of the failing response body */
  body: string;
  url: string;
  sourceBody: string;
  workflowRunId: string;
  workflowCreatedAt: number;
  sourceMessageId: string;
}

/** What one request to the endpoint carries. */
export interface EndpointDelivery {
  run: RunState;
  invocation: number;
  kind: "step" | "callback" | "failure-callback";
  retried: number;
  messageId: string;
  /** For step deliveries: the history up to and including the delivered message (Initial first). */
  steps: Step[];
  callback?: CallbackPayload;
  failure?: FailurePayload;
  port: QStashPort;
  /** Aborted when the function host stops the delivery (it ran past `host.maxDuration`). */
  stop?: AbortSignal;
}

/** What the endpoint answered. */
export interface EndpointResponse {
  status: number;
  finishCondition?: string;
  error?: { name: string; message: string; stack?: string };
  stepName?: string;
  retryAfter?: string | number;
  /** The failure function's return value. */
  result?: unknown;
  /** Names served from history in this delivery (for the report). */
  replayed?: string[];
  /** Set when the function host stopped the delivery at its maxDuration. */
  hostTimeout?: DeliveryRecord["hostTimeout"];
}

/** Something that answers deliveries: the in-memory route runner or a real `serve()` handler. */
export interface Endpoint {
  deliver(delivery: EndpointDelivery): Promise<EndpointResponse>;
  /** Whether a failure callback is configured (QStash only calls it then). */
  hasFailureCallback(): boolean;
}

export interface RunConfig {
  workflowRunId: string;
  url: string;
  payload: string | undefined;
  headers: Record<string, string>;
  labels: string[];
  retries: number;
  endpoint: Endpoint;
  workflowId?: string;
  parent?: { runId: string; step: Step };
}

/** One workflow run as QStash holds it. */
export interface RunState extends RunConfig {
  createdAt: number;
  /** Published step messages in publish order; [0] is the Initial step. */
  log: Step[];
  messageIds: string[];
  status: RunStatus | "running";
  output?: string;
  error?: ReplayError;
  invocations: number;
  deliveries: DeliveryRecord[];
  endedAt?: number;
  failureFunctionResult?: unknown;
  /** createWebhook event ids → step names */
  webhookSteps: Map<string, string>;
  /** Events notified for this run before anyone waited (lookback). */
  lookback: Map<string, string>;
  /** Every request QStash performed for a `context.call` of this run, with its virtual duration. */
  calls: CallRecord[];
}

/** One request QStash made to a `context.call` target. */
export interface CallRecord {
  stepName: string;
  stepId: number;
  url: string;
  attempt: number;
  status: number;
  /** Virtual time the target took to answer, ms. */
  durationMs: number;
}

type Message =
  | { type: "step"; runId: string; logIndex: number; retried: number }
  | { type: "call"; runId: string; call: CallSubmission; attempt: number; messageId: string }
  | { type: "callback"; runId: string; payload: CallbackPayload; retried: number; messageId: string }
  | { type: "failure"; runId: string; payload: FailurePayload; messageId: string }
  | { type: "wait-timeout"; runId: string; waiterId: number }
  | { type: "event"; eventId: string; data: unknown; runId: string };

interface QueuedMessage {
  at: number;
  seq: number;
  message: Message;
}

interface Waiter {
  id: number;
  runId: string;
  eventId: string;
  step: WaitSubmission["step"];
  deadline: number;
}

export interface SimulatorOptions {
  startTime: number;
  prng: Prng;
  events: Record<string, unknown | EventSpec>;
  webhooks: Record<string, WebhookRequestSpec>;
  handlers: readonly RequestHandler[];
  maxInvocations: number;
  until?: number;
  faults?: FaultPlan;
  /** Endpoint for a child workflow id (invoke, call({ workflow })). */
  endpointFor(workflowId: string): Endpoint | undefined;
  /** Called after every delivery (the report and the detectors listen). */
  onDelivery?(run: RunState, record: DeliveryRecord): void;
  /** The function host: a delivery running past its maxDuration is stopped (504) and retried. */
  host?: HostLimits;
}

/** The simulator options both drivers derive from `ReplayOptions`. */
export function simulatorOptions(
  options: Pick<ReplayOptions, "events" | "webhooks" | "maxInvocations" | "until" | "faults">,
  rest: Pick<SimulatorOptions, "startTime" | "prng" | "handlers" | "endpointFor" | "onDelivery" | "host">,
): SimulatorOptions {
  return {
    ...rest,
    events: (options.events ?? {}) as Record<string, unknown>,
    webhooks: options.webhooks ?? {},
    maxInvocations: options.maxInvocations ?? 5_000,
    until: options.until,
    // the simulator consumes fault entries as it applies them: work on a copy
    faults: options.faults ? (structuredClone(options.faults) as FaultPlan) : undefined,
  };
}

/** QStash's base URL inside the harness (webhook URLs, the simulator's REST API). */
export const QSTASH_BASE_URL = "https://qstash.workflow-replay.test";
const USER_ID = "workflow-replay-user";

function isEventSpec(value: unknown): value is EventSpec {
  return typeof value === "object" && value !== null && "data" in value && Object.keys(value).every((k) => k === "data" || k === "after");
}

function canonicalHeaderName(name: string): string {
  return name
    .split("-")
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part))
    .join("-");
}

/** Response headers the way QStash forwards them: canonical names, array values. */
export function headerRecord(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  headers.forEach((value, key) => {
    const name = canonicalHeaderName(key);
    (out[name] ??= []).push(value);
  });
  return out;
}

/**
 * The QStash model shared by both drivers: runs and their step logs, a message queue on a virtual
 * clock, retries with backoff, waits and notify, `context.call` performed through msw, invoke of
 * child runs and failure callbacks. It knows nothing about how the endpoint runs the workflow.
 */
export class Simulator {
  now: number;
  readonly runs = new Map<string, RunState>();
  private readonly queue: QueuedMessage[] = [];
  private seq = 0;
  private waiterSeq = 0;
  private readonly waiters: Waiter[] = [];
  private currentSubmitted: Step[] | undefined;
  private readonly failedAttempts = new Map<string, number>();
  private deliveryCount = 0;
  /** How many choices between ready deliveries `faults.order` has made. */
  private orderChoices = 0;
  /** Set when the simulation had to stop (runaway, hung delivery, harness error). */
  halted: ReplayError | undefined;
  /** Timers set while a delivery or a `context.call` target runs advance `now` instead of waiting. */
  readonly timers = new VirtualTimers({ now: () => this.now, set: (ms) => (this.now = ms) });
  private readonly bodySizer = new BodySizer();

  constructor(private readonly options: SimulatorOptions) {
    this.now = options.startTime;
  }

  /**
   * Creates a run and queues its first delivery (the body is just the Initial step). With `history`
   * (a recorded log, Initial first) the run resumes: QStash redelivers the last recorded message.
   */
  startRun(config: RunConfig, history?: { steps: Step[]; createdAt: number }): RunState {
    const log = history
      ? history.steps.map((s) => ({ ...s }))
      : [{ stepId: 0, stepName: "init", stepType: "Initial", out: config.payload ?? "", concurrent: 1 } as Step];
    const run: RunState = {
      ...config,
      createdAt: history ? history.createdAt : this.now,
      log,
      messageIds: log.map(() => this.messageId()),
      status: "running",
      invocations: 0,
      deliveries: [],
      webhookSteps: new Map(),
      lookback: new Map(),
      calls: [],
    };
    this.runs.set(run.workflowRunId, run);
    this.enqueue(HOP_MS, { type: "step", runId: run.workflowRunId, logIndex: log.length - 1, retried: 0 });
    return run;
  }

  private messageId(): string {
    return `msg_${nanoid(this.options.prng, 16)}`;
  }

  private enqueue(delayMs: number, message: Message, at?: number): void {
    this.queue.push({ at: at ?? this.now + Math.max(0, delayMs), seq: this.seq++, message });
  }

  /** The next message: earliest time first, then publish order (or the fault plan's order). */
  private takeNext(): QueuedMessage | undefined {
    if (this.queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i]!;
      const b = this.queue[best]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    const order = this.options.faults?.order;
    if (order && order.length > 0) {
      const at = this.queue[best]!.at;
      const ready = this.queue
        .map((q, i) => ({ q, i }))
        .filter(({ q }) => q.at === at && (q.message.type === "step" || q.message.type === "callback"))
        .sort((x, y) => x.q.seq - y.q.seq);
      if (ready.length > 1) {
        // one entry per choice point, in order; past the end, publish order
        const pick = (order[this.orderChoices++] ?? 0) % ready.length;
        best = ready[pick]!.i;
      }
    }
    return this.queue.splice(best, 1)[0];
  }

  /** Runs deliveries until the queue is empty, the time budget ends, or the simulation halts. */
  async runToEnd(): Promise<void> {
    const limit = this.options.until === undefined ? Infinity : this.options.startTime + this.options.until;
    for (;;) {
      if (this.halted) return;
      const next = this.peekTime();
      if (next === undefined || next > limit) return;
      const queued = this.takeNext()!;
      this.now = Math.max(this.now, queued.at);
      const startedAt = this.now;
      await this.process(queued.message);
      // A delivery's own time passed on its clock (virtual timers): what it published is queued at the
      // time it did so; deliveries that are ready at the same time as it still start at that time.
      this.now = startedAt;
    }
  }

  private peekTime(): number | undefined {
    let min: number | undefined;
    for (const q of this.queue) if (min === undefined || q.at < min) min = q.at;
    return min;
  }

  private async process(message: Message): Promise<void> {
    switch (message.type) {
      case "step":
        return this.deliverStep(message);
      case "call":
        return this.performCall(message);
      case "callback":
        return this.deliverCallback(message);
      case "failure":
        return this.deliverFailure(message);
      case "wait-timeout":
        return this.timeoutWaiter(message.waiterId);
      case "event":
        this.notify(message.eventId, message.data, undefined, message.runId);
        return;
    }
  }

  private nextInvocation(run: RunState): number | undefined {
    run.invocations += 1;
    this.deliveryCount += 1;
    if (run.invocations > this.options.maxInvocations) {
      this.halted = {
        name: "ReplayLimitError",
        status: 0,
        message: `[workflow-replay] Failed to finish run ${run.workflowRunId}: it reached maxInvocations (${this.options.maxInvocations}) without ending. A workflow that never stops (or a very long one) needs a larger maxInvocations option.`,
      };
      this.endRun(run, "failed", this.halted);
      return undefined;
    }
    return run.invocations;
  }

  private async deliverStep(message: Extract<Message, { type: "step" }>): Promise<void> {
    const run = this.runs.get(message.runId);
    if (!run || run.status !== "running") return;
    const invocation = this.nextInvocation(run);
    if (invocation === undefined) return;
    const steps = run.log.slice(0, message.logIndex + 1);
    const response = await this.deliver(run, {
      run,
      invocation,
      kind: "step",
      retried: message.retried,
      messageId: run.messageIds[message.logIndex]!,
      steps,
      port: this.portFor(run),
    });
    if (!response) return;
    const duplicate = this.options.faults?.duplicateDeliveries;
    const duplicateSteps = this.options.faults?.duplicateSteps;
    const ran = duplicateSteps?.length ? run.deliveries[run.deliveries.length - 1]?.submitted.find((s) => s.stepId > 0 && !s.targetStep) : undefined;
    const byStep = ran !== undefined && duplicateSteps!.includes(ran.stepId);
    if ((byStep || duplicate?.includes(invocation)) && message.retried === 0 && run.status === "running") {
      this.enqueue(HOP_MS, { ...message, retried: 0, logIndex: message.logIndex, runId: run.workflowRunId }, this.now + HOP_MS);
      // a duplicate is delivered once more, not duplicated again
      if (duplicate) this.options.faults!.duplicateDeliveries = duplicate.filter((n) => n !== invocation);
      if (byStep) this.options.faults!.duplicateSteps = duplicateSteps!.filter((n) => n !== ran.stepId);
    }
    this.afterResponse(run, response, message.retried, (retried, delay) =>
      this.enqueue(delay, { ...message, retried }),
    );
  }

  private async deliver(run: RunState, delivery: EndpointDelivery): Promise<EndpointResponse | undefined> {
    this.currentSubmitted = [];
    const at = this.now;
    const host = this.options.host;
    const stop = new AbortController();
    delivery.stop = stop.signal;
    let response!: EndpointResponse;
    let pending: Promise<EndpointResponse> | undefined;
    try {
      const outcome = await this.timers.drive(
        () => (pending = run.endpoint.deliver(delivery)).then((r) => void (response = r)),
        host ? at + host.maxDurationMs : undefined,
      );
      if (!outcome.settled) {
        // The host stops the function at maxDuration: whatever it had not published is lost.
        const stoppedAt = this.now;
        stop.abort();
        const answer = await pending!.catch(() => undefined);
        this.now = stoppedAt;
        response = hostTimeoutResponse(host!, delivery, stoppedAt - at, answer?.stepName);
      } else if (response === undefined) {
        response = await pending!; // rethrows the endpoint's error
      }
    } catch (error) {
      const e = error as Error;
      this.halted = { name: e?.name ?? "Error", message: e?.message ?? String(error), status: 0 };
      this.record(run, delivery, at, { status: 0, finishCondition: "harness-error", error: this.halted });
      this.endRun(run, "failed", this.halted);
      return undefined;
    }
    response = this.applyFaults(run, delivery, response);
    this.record(run, delivery, at, response);
    if (response.finishCondition === "halt") {
      this.halted = { name: response.error?.name ?? "Error", message: response.error?.message ?? "", status: 0 };
      this.endRun(run, "failed", this.halted);
      return undefined;
    }
    return response;
  }

  /** Crash-after-effect and step-failure faults turn a successful step delivery into a 500. */
  private applyFaults(run: RunState, delivery: EndpointDelivery, response: EndpointResponse): EndpointResponse {
    const faults = this.options.faults;
    if (!faults || delivery.kind !== "step" || response.status !== 200) return response;
    const executed = this.currentSubmitted?.find((s) => s.stepId > 0 && !s.targetStep);
    if (!executed) return response;
    const key = `${run.workflowRunId}:${executed.stepId}`;
    const spec = faults.failSteps?.find((f) => f.stepId === executed.stepId);
    const crash = faults.crashAfterStep?.includes(executed.stepId);
    const failedSoFar = this.failedAttempts.get(key) ?? 0;
    const budget = spec ? spec.attempts : crash ? 1 : 0;
    if (failedSoFar >= budget) return response;
    this.failedAttempts.set(key, failedSoFar + 1);
    // The result never reached QStash: drop what the delivery published.
    const index = run.log.lastIndexOf(executed);
    if (index >= 0) {
      run.log.splice(index, 1);
      run.messageIds.splice(index, 1);
      for (let i = this.queue.length - 1; i >= 0; i--) {
        const m = this.queue[i]!.message;
        if (m.type === "step" && m.runId === run.workflowRunId && m.logIndex === index) this.queue.splice(i, 1);
      }
    }
    return {
      status: 500,
      error: { name: "InjectedFault", message: `[workflow-replay] Injected fault: the delivery crashed after step ${executed.stepId} ('${executed.stepName}') ran, before its result was recorded.` },
      stepName: executed.stepName,
      replayed: response.replayed,
    };
  }

  private record(run: RunState, delivery: EndpointDelivery, at: number, response: EndpointResponse): void {
    const record: DeliveryRecord = {
      invocation: delivery.invocation,
      kind: delivery.kind,
      at,
      durationMs: this.now - at,
      retried: delivery.retried,
      bodySteps: delivery.steps.length,
      bodyBytes: this.bodySizer.bytes(delivery),
      status: response.status,
      outcome: response.finishCondition ?? (response.status >= 200 && response.status < 300 ? "success" : "error"),
      submitted: this.currentSubmitted ?? [],
      replayed: response.replayed ?? [],
      ...(response.error ? { error: { name: response.error.name, message: response.error.message } } : {}),
      ...(response.hostTimeout ? { hostTimeout: response.hostTimeout } : {}),
    };
    this.currentSubmitted = undefined;
    run.deliveries.push(record);
    this.options.onDelivery?.(run, record);
  }

  /** QStash's reaction to the endpoint's status: done, retry with backoff, or fail the run. */
  private afterResponse(
    run: RunState,
    response: EndpointResponse,
    retried: number,
    retry: (retried: number, delayMs: number) => void,
  ): void {
    if (response.status >= 200 && response.status < 300) return;
    if (run.status !== "running") return;
    const error: ReplayError = {
      name: response.error?.name ?? "Error",
      message: response.error?.message ?? `The endpoint answered ${response.status}.`,
      status: response.status,
      ...(response.stepName ? { stepName: response.stepName } : {}),
    };
    if (response.status === 489) {
      this.failRun(run, error, response);
      return;
    }
    if (retried >= run.retries) {
      this.failRun(run, error, response);
      return;
    }
    if (response.status === 429 && response.retryAfter !== undefined) {
      const seconds = durationToSeconds(response.retryAfter) ?? 0;
      retry(retried + 1, seconds * 1000);
      return;
    }
    retry(retried + 1, backoffMs(retried + 1));
  }

  private failRun(run: RunState, error: ReplayError, response: EndpointResponse): void {
    this.endRun(run, "failed", error);
    if (run.endpoint.hasFailureCallback()) {
      const failBody = JSON.stringify({ error: error.name, message: error.message, stack: response.error?.stack });
      this.enqueue(HOP_MS, {
        type: "failure",
        runId: run.workflowRunId,
        messageId: this.messageId(),
        payload: {
          status: response.status,
          header: {},
          body: encodeBase64(failBody),
          url: run.url,
          sourceBody: encodeBase64(run.payload ?? ""),
          workflowRunId: run.workflowRunId,
          workflowCreatedAt: run.createdAt,
          sourceMessageId: run.messageIds[0]!,
        },
      });
    }
  }

  private endRun(run: RunState, status: RunStatus, error?: ReplayError, output?: string): void {
    if (run.status !== "running") return;
    run.status = status;
    run.endedAt = this.now;
    if (error) run.error = error;
    if (output !== undefined) run.output = output;
    // QStash drops what is still in flight for a finished run.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const m = this.queue[i]!.message;
      if (m.runId === run.workflowRunId && m.type !== "failure") this.queue.splice(i, 1);
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!.runId === run.workflowRunId) this.waiters.splice(i, 1);
    if (run.parent) {
      const parent = this.runs.get(run.parent.runId);
      if (parent && parent.status === "running") {
        const out = JSON.stringify({
          body: status === "completed" ? output : undefined,
          isFailed: status === "failed",
          isCanceled: status === "cancelled",
        });
        this.appendStep(parent, { ...run.parent.step, out } as Step, HOP_MS);
      }
    }
  }

  private appendStep(run: RunState, step: Step, delayMs: number, at?: number): void {
    run.log.push(step);
    run.messageIds.push(this.messageId());
    this.enqueue(delayMs, { type: "step", runId: run.workflowRunId, logIndex: run.log.length - 1, retried: 0 }, at);
  }

  private async deliverCallback(message: Extract<Message, { type: "callback" }>): Promise<void> {
    const run = this.runs.get(message.runId);
    if (!run || run.status !== "running") return;
    const invocation = this.nextInvocation(run);
    if (invocation === undefined) return;
    const response = await this.deliver(run, {
      run,
      invocation,
      kind: "callback",
      retried: message.retried,
      messageId: message.messageId,
      steps: [],
      callback: message.payload,
      port: this.portFor(run),
    });
    if (!response) return;
    this.afterResponse(run, response, message.retried, (retried, delay) => this.enqueue(delay, { ...message, retried }));
  }

  private async deliverFailure(message: Extract<Message, { type: "failure" }>): Promise<void> {
    const run = this.runs.get(message.runId);
    if (!run) return;
    run.invocations += 1;
    const response = await this.deliver(run, {
      run,
      invocation: run.invocations,
      kind: "failure-callback",
      retried: 0,
      messageId: message.messageId,
      steps: [],
      failure: message.payload,
      port: this.closedPort(),
    });
    if (response && response.result !== undefined) run.failureFunctionResult = response.result;
  }

  /** QStash performs a `context.call`: the request goes to the msw handlers (or a sibling workflow). */
  private async performCall(message: Extract<Message, { type: "call" }>): Promise<void> {
    const run = this.runs.get(message.runId);
    if (!run || run.status !== "running") return;
    const { call } = message;
    let response: Response | undefined;
    const callStartedAt = this.now;
    const sibling = this.siblingWorkflow(run, call.url);
    if (sibling) {
      response = this.triggerSibling(run, sibling, call);
    } else {
      const request = new Request(call.url, {
        method: call.method,
        headers: call.headers,
        body: call.method === "GET" || call.method === "HEAD" ? undefined : call.body,
      });
      let failure: { error: unknown } | undefined;
      await this.timers.drive(async () => {
        try {
          response = await answerWithHandlers(this.options.handlers, request);
        } catch (error) {
          failure = { error };
        }
      });
      if (failure) throw failure.error;
      if (!response) {
        this.halted = { name: "UnhandledRequestError", status: 0, message: unhandledRequestMessage(request) + ` (context.call "${call.stepName}")` };
        this.endRun(run, "failed", this.halted);
        return;
      }
    }
    run.calls.push({ stepName: call.stepName, stepId: call.stepId, url: call.url, attempt: message.attempt, status: response.status, durationMs: this.now - callStartedAt });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const ok = response.status >= 200 && response.status < 300;
    const payload: CallbackPayload = {
      status: response.status,
      header: headerRecord(response.headers),
      body: Buffer.from(bytesToBinaryString(bytes), "latin1").toString("base64"),
      retried: message.attempt,
      maxRetries: call.retries,
      url: call.url,
      method: call.method,
      sourceMessageId: message.messageId,
      stepId: call.stepId,
      stepName: call.stepName,
      concurrent: call.concurrent,
      contentType: call.headers["content-type"] ?? call.headers["Content-Type"] ?? "application/json",
    };
    this.enqueue(HOP_MS, { type: "callback", runId: run.workflowRunId, payload, retried: 0, messageId: this.messageId() });
    if (!ok && message.attempt < call.retries) {
      const delay = call.retryDelay ? 1000 : backoffMs(message.attempt + 1);
      this.enqueue(delay, { ...message, attempt: message.attempt + 1 });
    }
  }

  private siblingWorkflow(run: RunState, url: string): string | undefined {
    const base = run.url.replace(/[^/]+$/, "");
    if (!url.startsWith(base)) return undefined;
    const id = url.slice(base.length).split("?")[0]!;
    return id && !id.includes("/") && this.options.endpointFor(id) ? id : undefined;
  }

  private triggerSibling(run: RunState, workflowId: string, call: CallSubmission): Response {
    const endpoint = this.options.endpointFor(workflowId)!;
    const child = this.startRun({
      workflowRunId: `wfr_${nanoid(this.options.prng)}`,
      url: call.url,
      payload: call.body,
      headers: call.headers,
      labels: [],
      retries: 3,
      endpoint,
      workflowId,
    });
    void run;
    return new Response(JSON.stringify({ workflowRunId: child.workflowRunId, finishCondition: "success" }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }

  private registerWait(run: RunState, wait: WaitSubmission): void {
    const timeoutSeconds = durationToSeconds(wait.timeout) ?? 7 * 86_400;
    const waiter: Waiter = {
      id: ++this.waiterSeq,
      runId: run.workflowRunId,
      eventId: wait.eventId,
      step: wait.step,
      deadline: this.now + timeoutSeconds * 1000,
    };
    this.waiters.push(waiter);
    this.enqueue(0, { type: "wait-timeout", runId: run.workflowRunId, waiterId: waiter.id }, waiter.deadline);
    const stored = run.lookback.get(wait.eventId);
    if (stored !== undefined) {
      run.lookback.delete(wait.eventId);
      this.finishWait(waiter, stored);
      return;
    }
    if (wait.step.stepType === "WaitForWebhook") {
      const stepName = run.webhookSteps.get(wait.eventId);
      const spec = stepName === undefined ? undefined : this.options.webhooks[stepName];
      if (spec) this.enqueue(HOP_MS, { type: "event", eventId: wait.eventId, data: this.webhookBody(run, wait.eventId, spec), runId: run.workflowRunId });
      return;
    }
    if (Object.prototype.hasOwnProperty.call(this.options.events, wait.eventId)) {
      const value = this.options.events[wait.eventId];
      const spec: EventSpec = isEventSpec(value) ? value : { data: value };
      if (spec.after === "never") return;
      if (spec.after === "before") {
        // notified with the run id before the wait: QStash's lookback hands it over as the wait starts
        this.finishWait(waiter, typeof spec.data === "string" ? spec.data : JSON.stringify(spec.data));
        return;
      }
      const delay = spec.after === undefined ? 0 : (durationToSeconds(spec.after) ?? 0) * 1000;
      this.enqueue(HOP_MS + delay, { type: "event", eventId: wait.eventId, data: spec.data, runId: run.workflowRunId });
    }
  }

  private webhookBody(run: RunState, eventId: string, spec: WebhookRequestSpec): string {
    const url = new URL(QSTASH_BASE_URL);
    const header: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(spec.headers ?? {})) header[canonicalHeaderName(k)] = [v];
    return JSON.stringify({
      method: spec.method ?? "POST",
      header,
      ...(spec.body !== undefined ? { body: encodeBase64(spec.body) } : {}),
      proto: url.protocol.replace(":", ""),
      host: url.host,
      url: spec.path ?? `/v2/workflows/hooks/${USER_ID}/${run.workflowRunId}/${eventId}`,
    });
  }

  /** QStash ends a wait: with the event's body (`waitTimeout: false`) or, without one, as timed out. */
  private finishWait(waiter: Waiter, body: string | undefined): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
    const run = this.runs.get(waiter.runId);
    if (!run || run.status !== "running") return;
    this.appendStep(
      run,
      {
        stepId: waiter.step.stepId,
        stepName: waiter.step.stepName,
        stepType: waiter.step.stepType,
        ...(body !== undefined ? { out: encodeBase64(body) } : {}),
        concurrent: waiter.step.concurrent,
        ...(waiter.step.targetStep !== undefined ? { targetStep: waiter.step.targetStep } : {}),
        waitTimeout: body === undefined,
      } as Step,
      HOP_MS,
    );
  }

  private timeoutWaiter(waiterId: number): void {
    const waiter = this.waiters.find((w) => w.id === waiterId);
    if (waiter) this.finishWait(waiter, undefined);
  }

  /** `/v2/notify`: wakes every waiter on the event id (of one run when given); with a run id and no waiter, stores it. */
  notify(eventId: string, eventData: unknown, workflowRunId?: string, onlyRun?: string): NotifyResponse[] {
    const body = typeof eventData === "string" ? eventData : JSON.stringify(eventData);
    const target = workflowRunId ?? onlyRun;
    const matching = this.waiters.filter((w) => w.eventId === eventId && (target === undefined || w.runId === target));
    if (matching.length === 0 && workflowRunId !== undefined) {
      this.runs.get(workflowRunId)?.lookback.set(eventId, body);
    }
    return matching.map((waiter) => {
      const run = this.runs.get(waiter.runId)!;
      this.finishWait(waiter, body);
      return {
        waiter: { url: run.url, deadline: Math.floor(waiter.deadline / 1000), headers: {}, timeoutUrl: run.url },
        messageId: this.messageId(),
        error: "",
      } as unknown as NotifyResponse;
    });
  }

  /** The QStash API as seen by the code of one run. */
  portFor(run: RunState): QStashPort {
    const sim = this;
    const open = () => run.status === "running";
    return {
      submitStep(step, options) {
        sim.currentSubmitted?.push(step);
        if (!open()) return;
        if (step.stepType === "CreateWebhook" && typeof step.out === "string") {
          try {
            const { eventId } = JSON.parse(step.out) as { eventId: string };
            run.webhookSteps.set(eventId, step.stepName);
          } catch {
            // not a webhook body; nothing to map
          }
        }
        let delay = 0;
        let at: number | undefined;
        if (options?.delay !== undefined) delay = (durationToSeconds(options.delay) ?? 0) * 1000;
        if (options?.notBefore !== undefined) at = Math.max(sim.now, options.notBefore * 1000) + HOP_MS;
        run.log.push(step);
        run.messageIds.push(sim.messageId());
        sim.enqueue(HOP_MS + delay, { type: "step", runId: run.workflowRunId, logIndex: run.log.length - 1, retried: 0 }, at);
      },
      submitCall(call) {
        sim.currentSubmitted?.push({ stepId: call.stepId, stepName: call.stepName, stepType: "Call", concurrent: call.concurrent } as Step);
        if (!open()) return;
        sim.enqueue(HOP_MS, { type: "call", runId: run.workflowRunId, call, attempt: 0, messageId: sim.messageId() });
      },
      submitWait(wait) {
        sim.currentSubmitted?.push({ ...wait.step, waitEventId: wait.eventId, timeout: wait.timeout } as Step);
        if (!open()) return;
        sim.registerWait(run, wait);
      },
      notify(eventId, eventData, workflowRunId) {
        return sim.notify(eventId, eventData, workflowRunId);
      },
      submitInvoke(invoke) {
        sim.currentSubmitted?.push(invoke.step);
        if (!open()) return;
        sim.startChild(run, invoke);
      },
      webhookBase() {
        return { baseUrl: QSTASH_BASE_URL, userId: USER_ID };
      },
      deleteRun(body, cancel) {
        if (cancel) sim.endRun(run, "cancelled");
        else sim.endRun(run, "completed", undefined, body);
      },
    };
  }

  /** A port for code that must not affect any run (failure functions, perturbation passes). */
  closedPort(): QStashPort {
    return {
      submitStep() {},
      submitCall() {},
      submitWait() {},
      notify: () => [],
      submitInvoke() {},
      webhookBase: () => ({ baseUrl: QSTASH_BASE_URL, userId: USER_ID }),
      deleteRun() {},
    };
  }

  private startChild(parent: RunState, invoke: InvokeSubmission): void {
    const endpoint = this.options.endpointFor(invoke.workflowId);
    const runId = `wfr_${invoke.workflowRunId ?? nanoid(this.options.prng)}`;
    if (!endpoint) {
      const out = JSON.stringify({ body: undefined, isFailed: true, isCanceled: false });
      this.halted = {
        name: "ReplayUsageError",
        status: 0,
        message: `[workflow-replay] Failed to invoke workflow "${invoke.workflowId}" from step '${invoke.step.stepName}': no route function is registered for it. Pass it in the "workflows" option: { workflows: { "${invoke.workflowId}": routeFunction } }.`,
      };
      void out;
      return;
    }
    const label = invoke.label;
    this.startRun({
      workflowRunId: runId,
      url: invoke.url,
      payload: invoke.body,
      headers: invoke.headers,
      labels: label === undefined ? [] : Array.isArray(label) ? label : label.split(","),
      retries: invoke.retries ?? 3,
      endpoint,
      workflowId: invoke.workflowId,
      parent: { runId: parent.workflowRunId, step: invoke.step },
    });
  }
}
