import {
  WorkflowContext,
  WorkflowError,
  WorkflowNonRetryableError,
  type CallResponse,
  type CallSettings,
  type Duration,
  type InvokeStepResponse,
  type NotifyStepResponse,
  type Step,
  type WaitStepResponse,
} from "@upstash/workflow";
import { DISABLED_STEP_NAME, WorkflowAuthError, WorkflowCancelAbort } from "../errors.js";
import type { Executor, StepHandle } from "./executor.js";

/**
 * What a context needs of its executor: the harness's {@link Executor}, or a stand-in with the same
 * surface (the history walk's, which serves recorded results by name).
 */
export type ContextExecutor = Pick<Executor, "steps" | "addStep" | "memoizedRun" | "observes" | "abortThrown">;
import type { QStashPort } from "./io.js";
import type { LazyStep } from "./lazy-step.js";
import { CallStep, type FlowControlSettings } from "./steps/call-step.js";
import { InvokeStep } from "./steps/invoke-step.js";
import { NotifyStep } from "./steps/notify-step.js";
import { RunStep } from "./steps/run-step.js";
import { SleepStep, SleepUntilStep } from "./steps/sleep-steps.js";
import { WaitForEventStep, WaitForWebhookStep, type WebhookWaitResult } from "./steps/wait-steps.js";
import { CreateWebhookStep, type Webhook } from "./steps/webhook-step.js";
import { createApi, type MockWorkflowApi } from "./api.js";
import { newHandle, suppress, track } from "./step-handles.js";

const RESOURCE_NAME = /^[a-zA-Z0-9\-_.]+$/;

function validateLabel(label: string | string[] | undefined): void {
  if (label === undefined) return;
  const labels = Array.isArray(label) ? label : [label];
  if (labels.length === 0) throw new WorkflowNonRetryableError("Invalid label: label array must not be empty.");
  for (const value of labels) {
    if (!RESOURCE_NAME.test(value)) {
      throw new WorkflowNonRetryableError(`Invalid label "${value}": must be alphanumeric, hyphen, underscore, or period.`);
    }
  }
}

function validateFlowControl(flowControl: { key?: string } | undefined): void {
  if (flowControl?.key !== undefined && !RESOURCE_NAME.test(flowControl.key)) {
    throw new WorkflowNonRetryableError(
      `Invalid flow control key "${flowControl.key}": must be alphanumeric, hyphen, underscore, or period.`,
    );
  }
}

/** What a delivery gives the context it builds. */
export interface MockContextInit<TPayload> {
  workflowRunId: string;
  workflowRunCreatedAt: number;
  url: string;
  requestPayload: TPayload;
  /** Whether the dry run's first abort captures a stack (for the swallowed-abort location). Default true. */
  captureAbortStack?: boolean;
  /** The request headers, or a function that builds them on first use (most routes never read them). */
  headers: Headers | (() => Headers);
  env: Record<string, string | undefined>;
  labels: string[];
  retried: number;
  qstashClient: WorkflowContext["qstashClient"];
  port: QStashPort;
}

/** What V8 says for `JSON.stringify` of the SDK's context. */
const CIRCULAR_MESSAGE =
  "Converting circular structure to JSON\n    --> starting at object with constructor 'WorkflowContext'\n    |     property 'executor' -> object with constructor '_AutoExecutor'\n    --- property 'context' closes the circle";

/** The harness's state on a context: one own non-enumerable property (`harness`), not one per field. */
interface HarnessState {
  readonly headerSource: Headers | (() => Headers);
  readonly captureAbortStack: boolean;
  headerCache: Headers | undefined;
  readonly port: QStashPort;
  /** The first abort this context threw as the dry run's disabled context (to tell a caught one). */
  dryRunAbort: { stepName: string; error: Error } | undefined;
}

/**
 * The own enumerable `headers` accessor: one getter shared by every context (a closure per
 * context and five property definitions cost about 3 µs per context, two contexts per delivery).
 */
const HEADERS: PropertyDescriptor = {
  get(this: MockWorkflowContext) {
    return this.buildHeaders();
  },
  enumerable: true,
  configurable: true,
};

/**
 * The harness's `WorkflowContext`: the complete 1.3.3 surface, on the in-memory engine. Its
 * prototype chain includes the SDK's `WorkflowContext`, so `instanceof` checks hold, and it is
 * passed to routes typed against `WorkflowContext` unchanged. With no executor it behaves like the
 * SDK's `DisabledWorkflowContext` (the auth dry run).
 */
export class MockWorkflowContext<TPayload = unknown> {
  // `declare`d, set in the constructor: own enumerable keys as the SDK's, in order (decision 1504).
  /** @internal */
  declare readonly executor: ContextExecutor | undefined;
  /** The steps of the delivery (like the SDK's `context.steps`). */
  declare readonly steps: Step[];
  declare readonly qstashClient: WorkflowContext["qstashClient"];
  declare readonly workflowRunId: string;
  declare readonly workflowRunCreatedAt: number;
  declare readonly url: string;
  declare readonly requestPayload: TPayload;
  declare readonly env: Record<string, string | undefined>;
  declare readonly labels: string[];
  declare readonly retried: number;
  /** @internal The harness's own state (non-enumerable). */
  declare readonly harness: HarnessState;

  constructor(init: MockContextInit<TPayload>, executor: ContextExecutor | undefined) {
    const self = this as unknown as Record<string, unknown>;
    self.executor = executor;
    self.steps = executor?.steps ?? [];
    self.qstashClient = init.qstashClient;
    self.workflowRunId = init.workflowRunId;
    self.workflowRunCreatedAt = init.workflowRunCreatedAt;
    self.url = init.url;
    self.requestPayload = init.requestPayload;
    Object.defineProperty(this, "headers", HEADERS);
    self.env = init.env;
    self.labels = init.labels;
    self.retried = init.retried;
    const harness: HarnessState = {
      headerSource: init.headers,
      captureAbortStack: init.captureAbortStack ?? true,
      headerCache: undefined,
      port: init.port,
      dryRunAbort: undefined,
    };
    Object.defineProperty(this, "harness", { value: harness, writable: false, enumerable: false, configurable: true });
  }

  /** @internal The first abort this context threw as the dry run's disabled context. */
  get dryRunAbort(): { stepName: string; error: Error } | undefined {
    return this.harness.dryRunAbort;
  }

  /** @internal */
  get port(): QStashPort {
    return this.harness.port;
  }

  /** @internal */
  buildHeaders(): Headers {
    const h = this.harness;
    return (h.headerCache ??= typeof h.headerSource === "function" ? h.headerSource() : h.headerSource);
  }

  /**
   * The SDK's context is circular (`context.executor.context === context`), so `JSON.stringify`
   * throws on it; the mock throws the same TypeError instead of serializing (decision 1504).
   */
  toJSON(): never {
    throw new TypeError(CIRCULAR_MESSAGE);
  }

  get headers(): Headers {
    return this.buildHeaders();
  }

  /** @deprecated like the SDK's: the first label. */
  get label(): string | undefined {
    return this.labels[0];
  }

  get api(): MockWorkflowApi {
    return createApi(this as never);
  }

  run<T>(stepName: string, stepFunction: () => T | Promise<T>): Promise<T> {
    const handle = newHandle(this.run, true);
    const executor = this.executor;
    // A lone memoized visit that matches history is answered by the executor's one-frame fast path
    // (same microtask ticks); anything else, or a name RunStep would reject, takes the exact path.
    const fast =
      executor !== undefined && typeof stepName === "string" && stepName !== ""
        ? executor.memoizedRun(new RunStep(stepName, stepFunction), handle, suppress)
        : undefined;
    return track(fast ?? this.runAsync(stepName, stepFunction, handle), handle, executor);
  }

  private async runAsync<T>(stepName: string, fn: () => T | Promise<T>, handle: StepHandle): Promise<T> {
    try {
      return (await this.addStep(new RunStep(stepName, fn), handle)) as T;
    } catch (error) {
      suppress(handle);
      throw error;
    }
  }

  sleep(stepName: string, duration: number | Duration): Promise<void> {
    const handle = newHandle(this.sleep, false);
    return track(this.sleepAsync(stepName, duration, handle), handle, this.executor);
  }

  private async sleepAsync(stepName: string, duration: number | Duration, handle: StepHandle): Promise<void> {
    await this.addStep(new SleepStep(stepName, duration), handle);
  }

  sleepUntil(stepName: string, datetime: Date | string | number): Promise<void> {
    const handle = newHandle(this.sleepUntil, false);
    return track(this.sleepUntilAsync(stepName, datetime, handle), handle, this.executor);
  }

  private async sleepUntilAsync(stepName: string, datetime: Date | string | number, handle: StepHandle) {
    let time: number;
    if (typeof datetime === "number") {
      time = datetime;
    } else {
      const date = typeof datetime === "string" ? new Date(datetime) : datetime;
      time = Math.round(date.getTime() / 1000);
    }
    await this.addStep(new SleepUntilStep(stepName, time), handle);
  }

  call<TResult = unknown>(stepName: string, settings: CallSettings | WorkflowCallSettings): Promise<CallResponse<TResult>> {
    const handle = newHandle(this.call, false);
    return track(this.callAsync<TResult>(stepName, settings, handle), handle, this.executor);
  }

  private async callAsync<TResult>(
    stepName: string,
    settings: CallSettings | WorkflowCallSettings,
    handle: StepHandle,
  ): Promise<CallResponse<TResult>> {
    validateFlowControl(settings.flowControl as { key?: string } | undefined);
    let step: CallStep<TResult>;
    if ("workflow" in settings) {
      validateLabel(settings.label);
      const workflowId = settings.workflow.workflowId;
      if (!workflowId) throw new WorkflowError("You can only call workflow which has a workflowId");
      const body = settings.body;
      step = new CallStep<TResult>(stepName, {
        url: this.url.replace(/[^/]+$/, workflowId),
        method: "POST",
        body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body),
        headers: settings.headers || {},
        retries: settings.retries || 0,
        retryDelay: settings.retryDelay,
        timeout: settings.timeout,
        flowControl: settings.flowControl as FlowControlSettings | undefined,
      });
    } else {
      step = new CallStep<TResult>(stepName, {
        url: settings.url,
        method: settings.method ?? "GET",
        body: settings.body as string | undefined,
        headers: settings.headers ?? {},
        retries: settings.retries ?? 0,
        retryDelay: settings.retryDelay,
        timeout: settings.timeout,
        flowControl: settings.flowControl as FlowControlSettings | undefined,
      });
    }
    return (await this.addStep(step, handle)) as CallResponse<TResult>;
  }

  waitForEvent<TEventData = unknown>(
    stepName: string,
    eventId: string,
    options: { timeout?: number | Duration } = {},
  ): Promise<WaitStepResponse<TEventData>> {
    const handle = newHandle(this.waitForEvent, false);
    const { timeout = "7d" } = options;
    const timeoutStr = typeof timeout === "string" ? timeout : `${timeout}s`;
    return track(this.addStepAsync(() => new WaitForEventStep<TEventData>(stepName, eventId, timeoutStr), handle), handle, this.executor);
  }

  notify(stepName: string, eventId: string, eventData: unknown, workflowRunId?: string): Promise<NotifyStepResponse> {
    const handle = newHandle(this.notify, false);
    return track(
      this.addStepAsync(() => new NotifyStep(stepName, eventId, eventData, () => this.port, workflowRunId), handle),
      handle,
      this.executor,
    );
  }

  invoke<TInitialPayload, TResult>(
    stepName: string,
    settings: InvokeSettings<TInitialPayload, TResult>,
  ): Promise<InvokeStepResponse<TResult>> {
    const handle = newHandle(this.invoke, false);
    return track(this.invokeAsync(stepName, settings, handle), handle, this.executor);
  }

  private async invokeAsync<TInitialPayload, TResult>(
    stepName: string,
    settings: InvokeSettings<TInitialPayload, TResult>,
    handle: StepHandle,
  ): Promise<InvokeStepResponse<TResult>> {
    validateLabel(settings.label);
    validateFlowControl(settings.flowControl as { key?: string } | undefined);
    const step = new InvokeStep<TResult>(stepName, {
      workflowId: settings.workflow.workflowId,
      body: settings.body,
      headers: settings.headers,
      workflowRunId: settings.workflowRunId,
      retries: settings.retries,
      flowControl: settings.flowControl as FlowControlSettings | undefined,
      label: settings.label,
    });
    return (await this.addStep(step, handle)) as InvokeStepResponse<TResult>;
  }

  createWebhook(stepName: string): Promise<Webhook> {
    const handle = newHandle(this.createWebhook, false);
    return track(this.addStepAsync(() => new CreateWebhookStep(stepName), handle), handle, this.executor);
  }

  waitForWebhook(stepName: string, webhook: Webhook, timeout: Duration): Promise<WebhookWaitResult> {
    const handle = newHandle(this.waitForWebhook, false);
    return track(this.addStepAsync(() => new WaitForWebhookStep(stepName, webhook.eventId, timeout), handle), handle, this.executor);
  }

  async cancel(): Promise<void> {
    if (!this.executor) throw this.disabledAbort("cancel");
    this.executor.abortThrown = { stepName: "cancel" };
    throw new WorkflowCancelAbort();
  }

  private async addStepAsync<T>(make: () => LazyStep<T>, handle: StepHandle): Promise<T> {
    return await this.addStep(make(), handle);
  }

  private async addStep<T>(lazy: LazyStep<T>, handle: StepHandle): Promise<T> {
    if (!this.executor) throw this.disabledAbort(lazy.stepName);
    return await this.executor.addStep(lazy, handle);
  }

  private disabledAbort(stepName: string): Error {
    // Only the first abort's stack is ever read (swallowed-abort locates a caught dry-run abort with
    // it), and only in the delivery that captures it: the others — a Promise.all of n steps throws n,
    // and every delivery has a dry run — skip the stack capture.
    let error: Error;
    const harness = this.harness;
    if (!harness.dryRunAbort && harness.captureAbortStack) {
      error = new WorkflowAuthError(DISABLED_STEP_NAME);
    } else {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        error = new WorkflowAuthError(DISABLED_STEP_NAME);
      } finally {
        Error.stackTraceLimit = limit;
      }
    }
    harness.dryRunAbort ??= { stepName, error };
    return error;
  }

}

Object.setPrototypeOf(MockWorkflowContext.prototype, WorkflowContext.prototype);

/** `context.call({ workflow })` settings. */
export interface WorkflowCallSettings {
  workflow: { workflowId?: string };
  body?: unknown;
  headers?: Record<string, string>;
  retries?: number;
  retryDelay?: string;
  flowControl?: unknown;
  timeout?: number | Duration;
  workflowRunId?: string;
  label?: string | string[];
}

/** `context.invoke` settings. */
export interface InvokeSettings<TInitialPayload, _TResult> {
  workflow: { workflowId?: string };
  body: TInitialPayload;
  headers?: Record<string, string>;
  workflowRunId?: string;
  retries?: number;
  retryDelay?: string;
  flowControl?: unknown;
  label?: string | string[];
}
