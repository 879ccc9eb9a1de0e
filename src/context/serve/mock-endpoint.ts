import type { RouteFunction, WorkflowContext } from "@upstash/workflow";
import type { ReplayObserver } from "../../engine/observer.js";
import type { Endpoint, EndpointDelivery, EndpointResponse } from "../../engine/wire-types.js";
import { Deadline, withDeadline } from "../../sandbox/deadline.js";
import { HostStop, untilStopped } from "../../sandbox/host-stop.js";
import { afterSettling, runInFrame, type ScopeFrame } from "../../sandbox/scope.js";
import type { FailureFunctionArgs } from "../../types.js";
import { decodeBase64 } from "../../util/base64.js";
import { nanoid, type Prng } from "../../util/prng.js";
import { Executor } from "../executor.js";
import type { QStashPort } from "../io.js";
import { MockWorkflowContext } from "../mock-context.js";
import { routeContext } from "../route-context.js";
import { authFailResponse, dryRun } from "./authorization.js";
import { DeliveryTimeout, describeHang, errorResponse, mapRouteError, timeoutResponse } from "./errors.js";
import { deduplicate, lastIsDuplicate } from "./parse-steps.js";
import { qstashClientStub } from "./qstash-client-stub.js";
import { callbackRequestBody, callResultStep, contextInit, failureDetails } from "./requests.js";

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

/**
 * Answers deliveries by running the route function on the harness's own context, exactly as
 * `serve()` would: parse and dedup ({@link deduplicate}), the auth dry run ({@link dryRun}),
 * callback and failure requests, route execution and error mapping ({@link mapRouteError}).
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

  private init(delivery: EndpointDelivery, payload: unknown) {
    const init = contextInit(delivery, payload, delivery.port, this.options.env, (this.client ??= qstashClientStub()));
    // The dry run's first abort is captured with a stack only for the deliveryEnd event (swallowed-abort
    // locates a caught one with it): with no observer listening, the stack trace (about 35 µs) is skipped.
    if (!this.options.observer?.deliveryEnd) init.captureAbortStack = false;
    return init;
  }

  /** A single deadline for callback and failure deliveries (a step delivery shares one {@link Deadline} between its phases). */
  private deadline<T>(work: Promise<T>, describe: () => string, stop?: AbortSignal): Promise<T> {
    return withDeadline(untilStopped(work, stop), this.options.deliveryTimeout, (): never => {
      throw new DeliveryTimeout(describe());
    });
  }

  private async deliverSteps(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const { observer, owner, route, deliveryTimeout } = this.options;
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
    const init = this.init(delivery, payload);
    let executor: Executor | undefined;
    let returned: { value: unknown } | undefined;
    const dry: { caught?: { stepName: string; error: Error } } = {};
    const held: Array<() => void> = [];
    const end = (response: EndpointResponse, routeReturned: boolean): EndpointResponse => {
      // Submissions made after context.cancel() reach QStash after the SDK's DELETE (decision 1506):
      // sent now, they are dropped when the run was cancelled and kept when the cancel was swallowed.
      for (const submit of held.splice(0)) submit();
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
    // One timer for the whole delivery; `hung` names the phase running when it fires.
    let hung = () =>
      `[workflow-replay] Delivery ${invocation} did not settle within ${deliveryTimeout} ms: the code before the first step (auth dry run) awaits something that never resolves.`;
    const deadline = new Deadline(deliveryTimeout, () => new DeliveryTimeout(hung()));
    try {
      const auth = await deadline.race(untilStopped(dryRun(route, init, frame, dry), delivery.stop));
      if (auth === "run-ended") return end(authFailResponse(), true);
      if (auth !== "step-found") return end(errorResponse(500, auth.error), false);

      executor = new Executor(steps, this.runtime(delivery, frame, () => executor!, held), invocation, "run", observer);
      const context = new MockWorkflowContext(init, executor);
      let result: unknown;
      try {
        hung = () => describeHang(invocation, deliveryTimeout, executor!);
        result = await deadline.race(untilStopped(runInFrame(frame, () => route(routeContext(context))), delivery.stop));
      } catch (error) {
        if (error instanceof DeliveryTimeout || error instanceof HostStop) throw error;
        return end(mapRouteError(error, delivery.port), false);
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
      if (error instanceof DeliveryTimeout) return end(timeoutResponse(error), false);
      if (error instanceof HostStop) {
        // the simulator answers for the stopped function; this only names the step that was running
        const running = executor ? ([...executor.running].at(-1) ?? [...executor.inFlight].at(-1))?.[1] : undefined;
        return end({ status: 504, finishCondition: "host-timeout", ...(running ? { stepName: running } : {}) }, false);
      }
      throw error;
    } finally {
      deadline.clear();
    }
  }

  private runtime(delivery: EndpointDelivery, frame: ScopeFrame, executor: () => Executor, held?: Array<() => void>) {
    const { prng } = this.options;
    return {
      port: held ? new HoldAfterCancel(delivery.port, () => executor().abortThrown?.stepName === "cancel", held) : delivery.port,
      workflowRunId: delivery.run.workflowRunId,
      url: delivery.run.url,
      randomId: (length: number) => nanoid(prng, length),
      runStepFunction<T>(name: string, stepId: number, fn: () => T | Promise<T>): T | Promise<T> {
        const running = executor().running;
        running.set(stepId, name);
        return afterSettling(
          () => runInFrame({ ...frame, step: { name, id: stepId } }, () => executor().wrapStep(name, fn)),
          () => void running.delete(stepId),
        );
      },
    };
  }

  /** A `context.call` callback: dry run with the callback body as payload, then record the result step. */
  private async deliverCallback(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const callback = delivery.callback!;
    const frame: ScopeFrame = { owner: this.options.owner, invocation: delivery.invocation, dryRun: true };
    this.options.observer?.deliveryStart?.({
      invocation: delivery.invocation,
      kind: "callback",
      retried: delivery.retried,
      bodySteps: 0,
      rawPayload: undefined,
    });
    let auth: Awaited<ReturnType<typeof dryRun>>;
    try {
      auth = await this.deadline(dryRun(this.options.route, this.init(delivery, callbackRequestBody(callback)), frame), () =>
        `[workflow-replay] Delivery ${delivery.invocation} (the context.call callback of step '${callback.stepName}') did not settle within ${this.options.deliveryTimeout} ms: the code before the first step awaits something that never resolves.`,
      );
    } catch (error) {
      if (error instanceof DeliveryTimeout) return timeoutResponse(error);
      throw error;
    }
    if (auth === "run-ended") return authFailResponse();
    if (auth !== "step-found") return errorResponse(500, auth.error);
    const step = callResultStep(callback);
    if (step) delivery.port.submitStep(step);
    return { status: 200, finishCondition: "fromCallback" };
  }

  /** The failure callback: dry run, then `failureFunction` with the SDK's arguments. */
  private async deliverFailure(delivery: EndpointDelivery): Promise<EndpointResponse> {
    const failure = delivery.failure!;
    const failureFunction = this.options.failureFunction;
    if (!failureFunction) return { status: 200, finishCondition: "failure-callback-undefined" };
    const { failResponse, failStack } = failureDetails(failure);
    let payload: unknown;
    try {
      payload = failure.sourceBody ? this.options.parsePayload(decodeBase64(failure.sourceBody)) : undefined;
    } catch (error) {
      return errorResponse(500, error);
    }
    const frame: ScopeFrame = { owner: this.options.owner, invocation: delivery.invocation, dryRun: true };
    const init = this.init(delivery, payload);
    const ms = this.options.deliveryTimeout;
    let auth: Awaited<ReturnType<typeof dryRun>>;
    try {
      auth = await this.deadline(dryRun(this.options.route, init, frame), () =>
        `[workflow-replay] Delivery ${delivery.invocation} (the failure callback) did not settle within ${ms} ms: the code before the first step awaits something that never resolves.`,
      );
    } catch (error) {
      if (error instanceof DeliveryTimeout) return timeoutResponse(error);
      throw error;
    }
    if (auth === "run-ended") return errorResponse(500, new Error("Not authorized to run the failure function."));
    if (auth !== "step-found") return errorResponse(500, auth.error);
    const executor: Executor = new Executor([], this.runtime(delivery, frame, () => executor), delivery.invocation, "run", undefined);
    const context = new MockWorkflowContext(init, executor);
    try {
      const result = await this.deadline(
        Promise.resolve(
          runInFrame({ ...frame, dryRun: false, harness: true }, () =>
            failureFunction({
              context: routeContext(context),
              failStatus: failure.status,
              failResponse,
              failHeaders: failure.header,
              failStack,
            }),
          ),
        ),
        () =>
          `[workflow-replay] Delivery ${delivery.invocation}: the failureFunction did not settle within ${ms} ms. A failure function that awaits something that never resolves keeps the run from ending; resolve it or raise the deliveryTimeout option.`,
      );
      return { status: 200, finishCondition: "failure-callback-executed", result };
    } catch (error) {
      if (error instanceof DeliveryTimeout) return timeoutResponse(error);
      return errorResponse(500, error);
    }
  }
}

/**
 * The port, with every submission made once `cancelled()` holds kept in `held` instead of sent. A
 * class, built once per delivery: an `Object.create(port)` per delivery turned the engine's port
 * into a prototype object each time, which V8 pays for on every later access (about 2% of a 20-step run).
 */
class HoldAfterCancel implements QStashPort {
  constructor(
    private readonly port: QStashPort,
    private readonly cancelled: () => boolean,
    private readonly held: Array<() => void>,
  ) {}

  submitStep(...args: Parameters<QStashPort["submitStep"]>): void {
    if (this.cancelled()) this.held.push(() => this.port.submitStep(...args));
    else this.port.submitStep(...args);
  }

  submitCall(call: Parameters<QStashPort["submitCall"]>[0]): void {
    if (this.cancelled()) this.held.push(() => this.port.submitCall(call));
    else this.port.submitCall(call);
  }

  submitWait(wait: Parameters<QStashPort["submitWait"]>[0]): void {
    if (this.cancelled()) this.held.push(() => this.port.submitWait(wait));
    else this.port.submitWait(wait);
  }

  submitInvoke(invoke: Parameters<QStashPort["submitInvoke"]>[0]): void {
    if (this.cancelled()) this.held.push(() => this.port.submitInvoke(invoke));
    else this.port.submitInvoke(invoke);
  }

  notify(...args: Parameters<QStashPort["notify"]>): ReturnType<QStashPort["notify"]> {
    return this.port.notify(...args);
  }

  webhookBase(): ReturnType<QStashPort["webhookBase"]> {
    return this.port.webhookBase();
  }

  deleteRun(body: string | undefined, cancel: boolean): void {
    this.port.deleteRun(body, cancel);
  }
}
