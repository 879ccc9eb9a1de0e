import type { NotifyResponse, Step } from "@upstash/workflow";
import type { InvokeSubmission, QStashPort, WaitSubmission } from "../context/io.js";
import type { DeliveryRecord, ReplayError, RunStatus } from "../types.js";
import { encodeBase64 } from "../util/base64.js";
import { nanoid } from "../util/prng.js";
import { BodySizer } from "../limits/body-size.js";
import { hostTimeoutResponse } from "../limits/host-timeout.js";
import { VirtualTimers } from "../sandbox/virtual-timers.js";
import { performCall } from "./calls.js";
import { HOP_MS } from "./constants.js";
import type { SimulationCore } from "./core.js";
import { FaultInjector } from "./fault-injector.js";
import { startChild } from "./invoke.js";
import { MessageQueue, type Message } from "./message-queue.js";
import { closedPort, portFor } from "./ports.js";
import { retryDecision } from "./retries.js";
import type { SimulatorOptions } from "./simulator-options.js";
import { yielder } from "../sandbox/real-timers.js";
import { Waits } from "./waits.js";
import type { EndpointDelivery, EndpointResponse, RunConfig, RunState } from "./wire-types.js";

/**
 * The QStash model shared by both drivers: runs and their step logs, a message queue on a virtual
 * clock, retries with backoff, waits and notify, `context.call` performed through msw, invoke of
 * child runs and failure callbacks. It knows nothing about how the endpoint runs the workflow.
 * Its parts: {@link MessageQueue}, {@link FaultInjector}, {@link retryDecision}, {@link performCall},
 * {@link Waits}, {@link startChild} and the ports ({@link portFor}); each sees it as a {@link SimulationCore}.
 */
export class Simulator implements SimulationCore {
  now: number;
  readonly runs = new Map<string, RunState>();
  private readonly queue = new MessageQueue();
  private readonly faults: FaultInjector;
  private readonly waits: Waits;
  private currentSubmitted: Step[] | undefined;
  /** Set when the simulation had to stop (runaway, hung delivery, harness error). */
  halted: ReplayError | undefined;
  /** Timers set while a delivery or a `context.call` target runs advance `now` instead of waiting. */
  readonly timers = new VirtualTimers({ now: () => this.now, set: (ms) => (this.now = ms) });
  private readonly bodySizer = new BodySizer();

  constructor(readonly options: SimulatorOptions) {
    this.now = options.startTime;
    this.faults = new FaultInjector(options.faults);
    this.waits = new Waits(this);
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

  messageId(): string {
    return `msg_${nanoid(this.options.prng, 16)}`;
  }

  enqueue(delayMs: number, message: Message, at?: number): void {
    this.queue.push(at ?? this.now + Math.max(0, delayMs), message);
  }

  halt(error: ReplayError, run?: RunState): void {
    this.halted = error;
    if (run) this.endRun(run, "failed", error);
  }

  noteSubmitted(step: Step): void {
    this.currentSubmitted?.push(step);
  }

  registerWait(run: RunState, wait: WaitSubmission): void {
    this.waits.register(run, wait);
  }

  startChild(parent: RunState, invoke: InvokeSubmission): void {
    startChild(this, parent, invoke);
  }

  /** Yields to the event loop every so many deliveries (see real-timers.ts). */
  private readonly yieldNow = yielder();

  /** Runs deliveries until the queue is empty, the time budget ends, or the simulation halts. */
  async runToEnd(): Promise<void> {
    const limit = this.options.until === undefined ? Infinity : this.options.startTime + this.options.until;
    for (;;) {
      if (this.halted) return;
      const next = this.queue.peekTime();
      if (next === undefined || next > limit) return;
      const queued = this.queue.take(this.faults.chooser)!;
      this.now = Math.max(this.now, queued.at);
      const startedAt = this.now;
      await this.process(queued.message);
      // A delivery's own time passed on its clock (virtual timers): what it published is queued at the
      // time it did so; deliveries ready at the same time as it still start at that time.
      this.now = startedAt;
      // Let the event loop turn (a test runner's timeout, a signal, I/O): a long run stays interruptible.
      const turn = this.yieldNow();
      if (turn) await turn;
    }
  }

  private async process(message: Message): Promise<void> {
    switch (message.type) {
      case "step":
        return this.deliverStep(message);
      case "call":
        return performCall(this, message);
      case "callback":
        return this.deliverCallback(message);
      case "failure":
        return this.deliverFailure(message);
      case "wait-timeout":
        return this.waits.timeout(message.waiterId);
      case "event":
        this.waits.notify(message.eventId, message.data, undefined, message.runId);
        return;
    }
  }

  private nextInvocation(run: RunState): number | undefined {
    run.invocations += 1;
    if (run.invocations > this.options.maxInvocations) {
      this.halt(
        {
          name: "ReplayLimitError",
          status: 0,
          message: `[workflow-replay] Failed to finish run ${run.workflowRunId}: it reached maxInvocations (${this.options.maxInvocations}) without ending. A workflow that never stops (or a very long one) needs a larger maxInvocations option.`,
        },
        run,
      );
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
    if (message.retried === 0 && run.status === "running") {
      const ran = this.faults.duplicatesBySteps ? run.deliveries[run.deliveries.length - 1]?.submitted.find((s) => s.stepId > 0 && !s.targetStep) : undefined;
      if (this.faults.takeDuplicate(invocation, ran?.stepId)) this.enqueue(HOP_MS, { ...message, retried: 0 }, this.now + HOP_MS);
    }
    this.afterResponse(run, response, message.retried, (retried, delay) => this.enqueue(delay, { ...message, retried }));
  }

  private async deliver(run: RunState, delivery: EndpointDelivery): Promise<EndpointResponse | undefined> {
    this.currentSubmitted = [];
    const at = this.now;
    const host = this.options.host;
    // Only a host stops a delivery: without one there is no signal, and untilStopped() adds no race.
    const stop = host ? new AbortController() : undefined;
    delivery.stop = stop?.signal;
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
        stop?.abort();
        const answer = await pending!.catch(() => undefined);
        this.now = stoppedAt;
        response = hostTimeoutResponse(host!, delivery, stoppedAt - at, answer?.stepName);
      } else if (response === undefined) {
        response = await pending!; // rethrows the endpoint's error
      }
    } catch (error) {
      const e = error as Error;
      const halted: ReplayError = { name: e?.name ?? "Error", message: e?.message ?? String(error), status: 0 };
      this.halted = halted;
      this.record(run, delivery, at, { status: 0, finishCondition: "harness-error", error: halted });
      this.endRun(run, "failed", halted);
      return undefined;
    }
    response = this.applyFaults(run, delivery, response);
    this.record(run, delivery, at, response);
    if (response.finishCondition === "halt") {
      this.halt({ name: response.error?.name ?? "Error", message: response.error?.message ?? "", status: 0 }, run);
      return undefined;
    }
    return response;
  }

  /** Crash-after-effect and step-failure faults turn a successful step delivery into a 500. */
  private applyFaults(run: RunState, delivery: EndpointDelivery, response: EndpointResponse): EndpointResponse {
    if (!this.faults.active || delivery.kind !== "step" || response.status !== 200) return response;
    const executed = this.currentSubmitted?.find((s) => s.stepId > 0 && !s.targetStep);
    if (!executed) return response;
    const crashed = this.faults.crash(run.workflowRunId, executed, response);
    if (!crashed) return response;
    // The result never reached QStash: drop what the delivery published.
    const index = run.log.lastIndexOf(executed);
    if (index >= 0) {
      run.log.splice(index, 1);
      run.messageIds.splice(index, 1);
      this.queue.drop((m) => m.type === "step" && m.runId === run.workflowRunId && m.logIndex === index);
    }
    return crashed;
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
    const decision = retryDecision(response, retried, run.retries);
    if ("fail" in decision) this.failRun(run, decision.fail, response);
    else retry(retried + 1, decision.retryIn);
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

  endRun(run: RunState, status: RunStatus, error?: ReplayError, output?: string): void {
    if (run.status !== "running") return;
    run.status = status;
    run.endedAt = this.now;
    if (error) run.error = error;
    if (output !== undefined) run.output = output;
    // QStash drops what is still in flight for a finished run.
    this.queue.drop((m) => m.runId === run.workflowRunId && m.type !== "failure");
    this.waits.dropRun(run.workflowRunId);
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

  appendStep(run: RunState, step: Step, delayMs: number, at?: number): void {
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

  /** `/v2/notify`: wakes every waiter on the event id (of one run when given); with a run id and no waiter, stores it. */
  notify(eventId: string, eventData: unknown, workflowRunId?: string): NotifyResponse[] {
    return this.waits.notify(eventId, eventData, workflowRunId);
  }

  /** The QStash API as seen by the code of one run. */
  portFor(run: RunState): QStashPort {
    let port = this.ports.get(run);
    if (!port) this.ports.set(run, (port = portFor(this, run)));
    return port;
  }

  /** One port per run (it holds no per-delivery state), not one per delivery. */
  private readonly ports = new WeakMap<RunState, QStashPort>();

  /** A port for code that must not affect any run (failure functions, perturbation passes). */
  closedPort(): QStashPort {
    return closedPort();
  }
}
