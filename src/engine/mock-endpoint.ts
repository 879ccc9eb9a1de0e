import {
  WorkflowAbort,
  WorkflowNonRetryableError,
  WorkflowRetryAfterError,
  type RouteFunction,
  type Step,
  type WorkflowContext,
} from "@upstash/workflow";
import { QstashError } from "@upstash/qstash";
import { Executor } from "../context/executor.js";
import type { QStashPort } from "../context/io.js";
import { stepNameOf } from "../context/lazy-step.js";
import { MockWorkflowContext, type MockContextInit } from "../context/mock-context.js";
import { DISABLED_STEP_NAME, isInstanceOf, WorkflowAuthError, WorkflowCancelAbort } from "../errors.js";
import { originals } from "../sandbox/globals.js";
import { runInFrame, type ScopeFrame } from "../sandbox/scope.js";
import type { FailureFunctionArgs } from "../types.js";
import { decodeBase64 } from "../util/base64.js";
import { nanoid, type Prng } from "../util/prng.js";
import type { ReplayObserver } from "./observer.js";
import type { Endpoint, EndpointDelivery, EndpointResponse } from "./simulator.js";

export const AUTH_FAIL_MESSAGE =
  "Failed to authenticate Workflow request. If this is unexpected, see the caveat https://upstash.com/docs/workflow/basics/caveats#avoid-non-deterministic-code-outside-context-run";

export interface MockEndpointOptions {
  route: RouteFunction<any, any>;
  parsePayload: (raw: string) => unknown;
  env: Record<string, string | undefined>;
  prng: Prng;
  observer: ReplayObserver | undefined;
  deliveryTimeout: number;
  failureFunction?: (args: FailureFunctionArgs<any>) => unknown;
  /** Identity of the replay (scope frames carry it). */
  owner: object;
}

function formatError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return {
    name: "Error",
    message: `An error occured while executing workflow: '${typeof error === "string" ? error : JSON.stringify(error)}'`,
  };
}

function errorResponse(status: number, error: unknown, extra: Partial<EndpointResponse> = {}): EndpointResponse {
  const stepName = stepNameOf(error)?.replace(/[\u0000-\u001F\u007F]+/g, " ").trim();
  return { status, error: formatError(error), ...(stepName ? { stepName } : {}), ...extra };
}

class DeliveryTimeout extends Error {}
/** The function host stopped the delivery (it ran past `host.maxDuration`). */
class HostStop extends Error {}

/** The SDK's `checkIfLastOneIsDuplicate`. */
function lastIsDuplicate(steps: Step[]): boolean {
  if (steps.length < 2) return false;
  const last = steps[steps.length - 1]!;
  for (let i = 0; i < steps.length - 1; i++) {
    const step = steps[i]!;
    if (step.stepId === last.stepId && step.targetStep === last.targetStep) {
      console.warn(
        `Upstash Workflow: The step '${step.stepName}' with id '${step.stepId}'  has run twice during workflow execution. Rest of the workflow will continue running as usual.`,
      );
      return true;
    }
  }
  return false;
}

/** The SDK's `deduplicateSteps`: plan steps by targetStep, result steps by stepId, first wins. */
function deduplicate(steps: Step[]): Step[] {
  // Fast path, linear in integer compares: result ids and plan targets each strictly increasing (every
  // sequential history) cannot repeat. Parallel results arrive in completion order and take the sets.
  let lastId = 0;
  let lastTarget = -1;
  let ordered = true;
  for (const step of steps) {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (t <= lastTarget) {
        ordered = false;
        break;
      }
      lastTarget = t;
    } else if (step.stepId > lastId) {
      lastId = step.stepId;
    } else {
      ordered = false;
      break;
    }
  }
  if (ordered) return steps;
  const targets = new Set<number>();
  const ids = new Set<number>();
  let duplicates = false;
  for (const step of steps) {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (targets.has(t)) duplicates = true;
      targets.add(t);
    } else {
      if (ids.has(step.stepId)) duplicates = true;
      ids.add(step.stepId);
    }
  }
  if (!duplicates) return steps;
  targets.clear();
  ids.clear();
  return steps.filter((step) => {
    if (step.stepId === 0) {
      const t = step.targetStep ?? 0;
      if (targets.has(t)) return false;
      targets.add(t);
      return true;
    }
    if (ids.has(step.stepId)) return false;
    ids.add(step.stepId);
    return true;
  });
}

/**
 * Answers deliveries by running the route function on the harness's own context, exactly as
 * `serve()` would: parse, dry run, callback handling, route execution and response mapping.
 */
export class MockEndpoint implements Endpoint {
  private client: WorkflowContext["qstashClient"] | undefined;

  constructor(private readonly options: MockEndpointOptions) {}

  hasFailureCallback(): boolean {
    return this.options.failureFunction !== undefined;
  }

  async deliver(delivery: EndpointDelivery): Promise<EndpointResponse> {
    switch (delivery.kind) {
      case "step":
        return this.deliverSteps(delivery);
      case "callback":
        return this.deliverCallback(delivery);
      case "failure-callback":
        return this.deliverFailure(delivery);
    }
  }

  private contextInit(delivery: EndpointDelivery, payload: unknown, port: QStashPort): MockContextInit<unknown> {
    const run = delivery.run;
    let headers: Headers | undefined;
    const buildHeaders = () => {
      if (!headers) {
        // What the SDK keeps of a delivery's headers (it drops upstash-workflow-* and proxy headers):
        // the trigger's user headers, the label, and QStash's per-delivery ones.
        headers = new Headers(run.headers);
        if (run.labels.length > 0) headers.set("Upstash-Label", run.labels.join(","));
        headers.set("Upstash-Message-Id", delivery.messageId);
        headers.set("Upstash-Retried", String(delivery.retried));
        headers.set("content-type", "application/json");
      }
      return headers;
    };
    return {
      workflowRunId: run.workflowRunId,
      workflowRunCreatedAt: run.createdAt,
      url: run.url,
      requestPayload: payload,
      headers: buildHeaders,
      captureAbortStack: delivery.invocation <= 1,
      env: this.options.env,
      labels: run.labels,
      retried: delivery.retried,
      qstashClient: (this.client ??= qstashClientStub()),
      port,
    };
  }

  /** The auth dry run: "step-found", "run-ended" or the error thrown before the first step. */
  private async dryRun(
    init: MockContextInit<unknown>,
    frame: ScopeFrame,
    seen?: { caught?: { stepName: string; error: Error } },
  ): Promise<"step-found" | "run-ended" | { error: unknown }> {
    const context = new MockWorkflowContext(init, undefined);
    try {
      await runInFrame({ ...frame, dryRun: true }, () => this.options.route(context as unknown as WorkflowContext<unknown>));
    } catch (error) {
      try {
        if (
          (isInstanceOf(error, WorkflowAuthError) && (error as WorkflowAuthError).stepName === DISABLED_STEP_NAME) ||
          isInstanceOf(error, WorkflowNonRetryableError) ||
          isInstanceOf(error, WorkflowRetryAfterError)
        ) {
          return "step-found";
        }
      } catch (classification) {
        return { error: classification }; // `throw undefined`: the SDK's check itself throws
      }
      return { error };
    }
    if (seen) seen.caught = context.dryRunAbort;
    return "run-ended";
  }

  private withTimeout<T>(promise: Promise<T>, describe: () => string, stop?: AbortSignal): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onStop: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = originals.setTimeout(() => reject(new DeliveryTimeout(describe())), this.options.deliveryTimeout);
      if (stop) stop.addEventListener("abort", (onStop = () => reject(new HostStop())), { once: true });
    });
    return Promise.race([promise, timeout]).finally(() => {
      originals.clearTimeout(timer);
      if (onStop) stop!.removeEventListener("abort", onStop);
    });
  }

  private async deliverSteps(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const { observer, owner } = this.options;
    if (lastIsDuplicate(delivery.steps)) return { status: 200, finishCondition: "duplicate-step" };
    const steps = deduplicate(delivery.steps);
    const rawPayload = steps[0]!.out as string;
    const invocation = delivery.invocation;
    observer?.deliveryStart?.({ invocation, kind: "step", retried: delivery.retried, bodySteps: steps.length, rawPayload });
    const frame: ScopeFrame = { owner, invocation, dryRun: false };
    let payload: unknown;
    try {
      payload = this.options.parsePayload(rawPayload);
    } catch (error) {
      return errorResponse(500, error);
    }
    const init = this.contextInit(delivery, payload, delivery.port);
    let executor: Executor | undefined;
    let returned: { value: unknown } | undefined;
    const dry: { caught?: { stepName: string; error: Error } } = {};
    const end = (response: EndpointResponse, routeReturned: boolean): EndpointResponse => {
      observer?.deliveryEnd?.({
        invocation,
        payload,
        rawPayload,
        status: response.status,
        outcome: response.finishCondition ?? "error",
        abortThrown: executor?.abortThrown,
        routeReturned,
        ...(returned ? { returned } : {}),
        ...(dry.caught ? { dryRunAbortCaught: dry.caught } : {}),
        reparse: () => this.options.parsePayload(rawPayload),
        issued: executor?.issued ?? [],
      });
      return response;
    };
    try {
      const auth = await this.withTimeout(
        this.dryRun(init, frame, dry),
        () =>
          `[workflow-replay] Delivery ${invocation} did not settle within ${this.options.deliveryTimeout} ms: the code before the first step (auth dry run) awaits something that never resolves.`,
        delivery.stop,
      );
      if (auth === "run-ended") {
        return end({ status: 400, finishCondition: "auth-fail", error: { name: "Error", message: AUTH_FAIL_MESSAGE } }, true);
      }
      if (auth !== "step-found") return end(errorResponse(500, auth.error), false);

      executor = new Executor(steps, this.runtime(delivery, frame, () => executor!), invocation, "run", observer);
      const context = new MockWorkflowContext(init, executor);
      let result: unknown;
      try {
        result = await this.withTimeout(
          runInFrame(frame, () => this.options.route(context as unknown as WorkflowContext<unknown>)),
          () => describeHang(invocation, this.options.deliveryTimeout, executor!),
          delivery.stop,
        );
      } catch (error) {
        if (error instanceof DeliveryTimeout || error instanceof HostStop) throw error;
        return end(this.mapRouteError(error, delivery.port), false);
      }
      returned = { value: result };
      let body: string | undefined;
      try {
        body = JSON.stringify(result);
      } catch (error) {
        return end(errorResponse(500, error), true);
      }
      delivery.port.deleteRun(body, false);
      return end({ status: 200, finishCondition: "success", replayed: executor.replayed }, true);
    } catch (error) {
      if (error instanceof DeliveryTimeout) {
        return end({ status: 0, finishCondition: "halt", error: { name: "ReplayTimeoutError", message: error.message } }, false);
      }
      if (error instanceof HostStop) {
        // the simulator answers for the stopped function; this only names the step that was running
        const running = executor ? [...executor.inFlight].at(-1)?.[1] : undefined;
        return end({ status: 504, finishCondition: "host-timeout", ...(running ? { stepName: running } : {}) }, false);
      }
      throw error;
    }
  }

  private mapRouteError(error: unknown, port: QStashPort): EndpointResponse {
    try {
      return this.classifyRouteError(error, port);
    } catch (classification) {
      return errorResponse(500, classification); // `throw undefined`: the SDK's check itself throws
    }
  }

  /** The SDK's `triggerRouteFunction` catch, by constructor names like the SDK's `isInstanceOf`. */
  private classifyRouteError(error: unknown, port: QStashPort): EndpointResponse {
    if (isInstanceOf(error, QstashError) && (error as QstashError).status === 400) {
      return { status: 200, finishCondition: "success" }; // "run already finished": the SDK answers success
    }
    if (isInstanceOf(error, WorkflowNonRetryableError)) {
      return { status: 489, error: formatError(error), finishCondition: "non-retryable-error" };
    }
    if (isInstanceOf(error, WorkflowRetryAfterError)) {
      return {
        status: 429,
        error: formatError(error),
        finishCondition: "retry-after-error",
        retryAfter: (error as WorkflowRetryAfterError).retryAfter,
      };
    }
    if (isInstanceOf(error, WorkflowCancelAbort)) {
      port.deleteRun(undefined, true);
      return { status: 200, finishCondition: "success" };
    }
    if (isInstanceOf(error, WorkflowAbort)) return { status: 200, finishCondition: "success" };
    return errorResponse(500, error);
  }

  private runtime(delivery: EndpointDelivery, frame: ScopeFrame, executor: () => Executor) {
    const { prng } = this.options;
    return {
      port: delivery.port,
      workflowRunId: delivery.run.workflowRunId,
      url: delivery.run.url,
      randomId: (length: number) => nanoid(prng, length),
      runStepFunction<T>(name: string, stepId: number, fn: () => T | Promise<T>): T | Promise<T> {
        return runInFrame({ ...frame, step: { name, id: stepId } }, () => executor().wrapStep(name, fn));
      },
    };
  }

  /** A `context.call` callback: dry run with the callback body as payload, then record the result step. */
  private async deliverCallback(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const callback = delivery.callback!;
    const { owner } = this.options;
    const frame: ScopeFrame = { owner, invocation: delivery.invocation, dryRun: true };
    this.options.observer?.deliveryStart?.({
      invocation: delivery.invocation,
      kind: "callback",
      retried: delivery.retried,
      bodySteps: 0,
      rawPayload: undefined,
    });
    // The dry run sees the callback body QStash posts (the SDK JSON-parses it as the payload).
    const body = {
      status: callback.status,
      header: callback.header,
      body: callback.body,
      retried: callback.retried,
      maxRetries: callback.maxRetries,
      sourceMessageId: callback.sourceMessageId,
      url: callback.url,
      method: callback.method,
    };
    const init = this.contextInit(delivery, body, delivery.port);
    const auth = await this.dryRun(init, frame);
    if (auth === "run-ended") return { status: 400, finishCondition: "auth-fail", error: { name: "Error", message: AUTH_FAIL_MESSAGE } };
    if (auth !== "step-found") return errorResponse(500, auth.error);
    const ok = callback.status >= 200 && callback.status < 300;
    if (!ok && callback.maxRetries && callback.retried !== callback.maxRetries) {
      return { status: 200, finishCondition: "fromCallback" };
    }
    const out = JSON.stringify({ status: callback.status, body: atob(callback.body ?? ""), header: callback.header });
    delivery.port.submitStep({
      stepId: callback.stepId,
      stepName: callback.stepName,
      stepType: "Call",
      out,
      concurrent: callback.concurrent,
    } as Step);
    return { status: 200, finishCondition: "fromCallback" };
  }

  /** The failure callback: dry run, then `failureFunction` with the SDK's arguments. */
  private async deliverFailure(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const failure = delivery.failure!;
    const failureFunction = this.options.failureFunction;
    if (!failureFunction) return { status: 200, finishCondition: "failure-callback-undefined" };
    const decoded = failure.body ? decodeBase64(failure.body) : "{}";
    let failResponse = "";
    let failStack = "";
    try {
      const parsed = JSON.parse(decoded) as { message?: string; stack?: string };
      if (parsed.message) failResponse = parsed.message;
      if (parsed.stack) failStack = parsed.stack;
    } catch {
      // the SDK falls back to the message below
    }
    if (!failResponse) failResponse = `Couldn't parse 'failResponse' in 'failureFunction', received: '${decoded}'`;
    let payload: unknown;
    try {
      payload = failure.sourceBody ? this.options.parsePayload(decodeBase64(failure.sourceBody)) : undefined;
    } catch (error) {
      return errorResponse(500, error);
    }
    const frame: ScopeFrame = { owner: this.options.owner, invocation: delivery.invocation, dryRun: true };
    const init = this.contextInit(delivery, payload, delivery.port);
    const auth = await this.dryRun(init, frame);
    if (auth === "run-ended") return errorResponse(500, new Error("Not authorized to run the failure function."));
    if (auth !== "step-found") return errorResponse(500, auth.error);
    const executor: Executor = new Executor([], this.runtime(delivery, frame, () => executor), delivery.invocation, "run", undefined);
    const context = new MockWorkflowContext(init, executor);
    try {
      const result = await runInFrame({ ...frame, dryRun: false, harness: true }, () =>
        failureFunction({
          context: context as unknown as WorkflowContext<unknown>,
          failStatus: failure.status,
          failResponse,
          failHeaders: failure.header,
          failStack,
        }),
      );
      return { status: 200, finishCondition: "failure-callback-executed", result };
    } catch (error) {
      return errorResponse(500, error);
    }
  }
}

function describeHang(invocation: number, ms: number, executor: Executor): string {
  const pending = [...executor.inFlight].at(-1);
  if (pending) {
    const [position, name] = pending;
    return `[workflow-replay] Delivery ${invocation} did not settle within ${ms} ms: step '${name}' (position ${position}) never settled. A step function that awaits something that never resolves (a real timer, an unanswered promise) hangs the delivery; resolve it or raise the deliveryTimeout option.`;
  }
  const done = executor.replayed.at(-1) ?? executor.executed?.step.stepName;
  return `[workflow-replay] Delivery ${invocation} did not settle within ${ms} ms: ${done ? `after step '${done}' settled, ` : ""}the route awaited something outside any step that never resolved. Resolve it or raise the deliveryTimeout option.`;
}

/** `context.qstashClient` in replay(): enough for the SDK-shaped fields, and a clear error for anything else. */
function qstashClientStub(): WorkflowContext["qstashClient"] {
  const fail = (what: string) => () => {
    throw new Error(
      `[workflow-replay] Failed to call context.qstashClient.${what}(): replay() runs without a QStash client. Use the step methods of the context, or replayHandler() to run the real SDK against the QStash simulator.`,
    );
  };
  return {
    batch: fail("batch"),
    batchJSON: fail("batchJSON"),
    publish: fail("publish"),
    publishJSON: fail("publishJSON"),
    http: { request: fail("http.request"), headers: new Headers(), baseUrl: "https://qstash.workflow-replay.test" },
    token: "eyJVc2VySUQiOiJ3b3JrZmxvdy1yZXBsYXktdXNlciJ9",
  } as unknown as WorkflowContext["qstashClient"];
}
