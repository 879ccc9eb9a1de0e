import { WorkflowAbort, WorkflowNonRetryableError, WorkflowRetryAfterError } from "@upstash/workflow";
import { QstashError } from "@upstash/qstash";
import type { EndpointResponse } from "../../engine/wire-types.js";
import { isInstanceOf, WorkflowCancelAbort } from "../../errors.js";
import type { Executor } from "../executor.js";
import type { QStashPort } from "../io.js";
import { stepNameOf } from "../lazy-step.js";

/** The SDK's `formatWorkflowError`. */
export function formatError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return {
    name: "Error",
    message: `An error occured while executing workflow: '${typeof error === "string" ? error : JSON.stringify(error)}'`,
  };
}

/** An error answer with the failing step's name (control characters folded, as in the header). */
export function errorResponse(status: number, error: unknown, extra: Partial<EndpointResponse> = {}): EndpointResponse {
  const stepName = stepNameOf(error)?.replace(/[\u0000-\u001F\u007F]+/g, " ").trim();
  if (stepName && /[^\u0000-\u00FF]/.test(stepName)) {
    // The SDK puts the name in a response header; a non-Latin-1 name makes `new Response()` throw,
    // the handler rejects and the framework answers 500 with that TypeError (decision 1506).
    try {
      new Headers([["upstash-workflow-failed-step", stepName]]);
    } catch (headerError) {
      return { status: 500, error: formatError(headerError), ...extra };
    }
  }
  return { status, error: formatError(error), ...(stepName ? { stepName } : {}), ...extra };
}

/** A delivery that did not settle within `deliveryTimeout`: the harness halts the simulation. */
export class DeliveryTimeout extends Error {}

/** The response that halts the simulation after a {@link DeliveryTimeout}. */
export function timeoutResponse(error: DeliveryTimeout): EndpointResponse {
  return { status: 0, finishCondition: "halt", error: { name: "ReplayTimeoutError", message: error.message } };
}

/** Maps what the route threw to `serve()`'s answer; a classification that itself throws answers 500. */
export function mapRouteError(error: unknown, port: QStashPort): EndpointResponse {
  try {
    return classifyRouteError(error, port);
  } catch (classification) {
    return errorResponse(500, classification); // `throw undefined`: the SDK's check itself throws
  }
}

const ABORT_PROTO: object = WorkflowAbort.prototype;
/** Whether WorkflowAbort's prototype chain is the SDK's own (nothing patched it into a checked class). */
const ABORT_PROTO_NAMES_ONLY_ABORT =
  !isInstanceOf(ABORT_PROTO, QstashError) &&
  !isInstanceOf(ABORT_PROTO, WorkflowNonRetryableError) &&
  !isInstanceOf(ABORT_PROTO, WorkflowRetryAfterError) &&
  !isInstanceOf(ABORT_PROTO, WorkflowCancelAbort);

/** The SDK's `triggerRouteFunction` catch, by constructor names like the SDK's `isInstanceOf`. */
function classifyRouteError(error: unknown, port: QStashPort): EndpointResponse {
  // The harness's own abort, which ends nearly every delivery: its chain (WorkflowAbort, Error) names
  // none of the classes checked before WorkflowAbort, so the walks below would end at the last check.
  if (error !== null && typeof error === "object" && Object.getPrototypeOf(error) === ABORT_PROTO && ABORT_PROTO_NAMES_ONLY_ABORT) {
    return { status: 200, finishCondition: "success" };
  }
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

/** The timeout message for a route that did not settle: names the step in flight, or the last one done. */
export function describeHang(invocation: number, ms: number, executor: Executor): string {
  // the step function still running names the hung branch of a parallel group; else the last step awaited
  const pending = [...executor.running].at(-1) ?? [...executor.inFlight].at(-1);
  if (pending) {
    const [position, name] = pending;
    return `[workflow-replay] Delivery ${invocation} did not settle within ${ms} ms: step '${name}' (position ${position}) never settled. A step function that awaits something that never resolves (a real timer, an unanswered promise) hangs the delivery; resolve it or raise the deliveryTimeout option.`;
  }
  const done = executor.replayed.at(-1) ?? executor.executed?.step.stepName;
  return `[workflow-replay] Delivery ${invocation} did not settle within ${ms} ms: ${done ? `after step '${done}' settled, ` : ""}the route awaited something outside any step that never resolved. Resolve it or raise the deliveryTimeout option.`;
}
