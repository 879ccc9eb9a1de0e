import { WorkflowAbort, WorkflowError, WorkflowNonRetryableError, WorkflowRetryAfterError } from "@upstash/workflow";
import type { DeliveryEndEvent, StepExecutedEvent, StepIssuedEvent } from "../engine/observer.js";
import { firstUserFrame } from "../sandbox/location.js";
import type { Severity, SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf } from "./describe.js";

const NESTED = /^A step can not be run inside another step\. Tried to run '(.*)' inside '(.*)'$/s;

interface Failed {
  invocation: number;
  name: string;
  stepId: number;
  error: unknown;
  thrownAt: SourceLocation | undefined;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The SDK's own control-flow errors that a step function may throw on purpose. */
function sdkSignal(error: unknown): "non-retryable" | "retry-after" | undefined {
  if (error instanceof WorkflowNonRetryableError) return "non-retryable";
  if (error instanceof WorkflowRetryAfterError) return "retry-after";
  return undefined;
}

/**
 * `caught-step-error`: a step function threw, the workflow caught the error around the step's await
 * and issued another step in the same delivery. In production a delivery ends with its failing step:
 * after a synchronous throw the SDK refuses the next step with the misleading "A step can not be run
 * inside another step. Tried to run 'fallback' inside 'risky'"; otherwise the next step is recorded in
 * the failed one's place and the run stalls (decision 1205). Catching and
 * returning is what the code says and is not reported, except a swallowed WorkflowNonRetryableError or
 * WorkflowRetryAfterError (WorkflowAbort subclasses in 1.3.3): a warning that names it.
 */
export const caughtStepError: DetectorFactory = (ctx) => {
  let failed: Failed | undefined;
  /** Failed steps by delivery, for the synchronous case the SDK refuses before the next step is issued. */
  const failedIn = new Map<number, Failed>();

  const report = (f: Failed, wentOn: string, location: SourceLocation | undefined, severity: Severity = "error") => {
    const signal = sdkSignal(f.error);
    const consequence = signal
      ? signal === "non-retryable"
        ? `The step threw WorkflowNonRetryableError to fail the run at once (a WorkflowAbort subclass in SDK 1.3.3); the bare catch swallowed it, so the run does not fail: ${severity === "error" ? `it goes on, and the SDK refuses or mismatches the next step` : `it completes with the fallback, which production does too; make sure that is meant, or rethrow it`}.`
        : `The step threw WorkflowRetryAfterError to be retried later (a WorkflowAbort subclass in SDK 1.3.3); the bare catch swallowed it, so the retry never happens: ${severity === "error" ? `the workflow goes on, and the SDK refuses or mismatches the next step` : `the run completes with the fallback; make sure that is meant, or rethrow it`}.`
      : `In production a delivery must end when its step fails (QStash then retries the step): going on runs the rest in the same request with step ${JSON.stringify(f.name)} never recorded — after a synchronous throw the SDK refuses the next step with the misleading "A step can not be run inside another step. Tried to run '<next>' inside '${f.name}'" on every retry until the run fails; otherwise the next step is recorded in the failed step's place; every later delivery fails the failed step's await with "Incompatible step name", the same catch swallows that too, the next step runs and is recorded again, and the SDK drops QStash's following delivery as a duplicate — the run stalls: it never completes or fails, and nothing after that step runs.`;
    ctx.report(
      {
        severity,
        message:
          `Step ${JSON.stringify(f.name)} threw ${describeError(f.error)}${at(f.thrownAt)} in delivery ${f.invocation}, and the workflow caught it and went on: ${wentOn}. ` +
          `${consequence} ` +
          `Handle the error inside the step and return a value that says what happened (context.run(${JSON.stringify(f.name)}, async () => { try { ... } catch (error) { return { failed: String(error) } } })), or rethrow it from the catch so QStash retries the step.`,
        stepName: f.name,
        stepId: f.stepId,
        invocation: f.invocation,
        ...(location ? { location } : {}),
        hint: `A step's error must either stay inside the step (caught there, turned into a result) or leave the workflow function (QStash retries the step).`,
        received: { error: describeError(f.error), ...(f.thrownAt ? { thrownAt: f.thrownAt } : {}) },
      },
      f.name,
    );
  };

  return {
    kind: "caught-step-error",
    stepExecuted(event: StepExecutedEvent) {
      const error = event.error;
      if (error === undefined || event.type !== "Run") return;
      if (error instanceof WorkflowAbort && !sdkSignal(error)) return;
      if (error instanceof WorkflowError) return; // the SDK's own (nested-step, serialization): other detectors
      const stack = error instanceof Error ? error.stack : undefined;
      failed = { invocation: event.invocation, name: event.name, stepId: event.stepId, error, thrownAt: (stack && firstUserFrame(stack)) || undefined };
      failedIn.set(event.invocation, failed);
    },
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run" || !failed || failed.invocation !== event.invocation || event.name === failed.name) return;
      const location = locationOf(event);
      report(failed, `it issued step ${JSON.stringify(event.name)}${at(location)}`, location);
      failed = undefined;
    },
    deliveryEnd(event: DeliveryEndEvent) {
      // Catching a step's error and returning is what the code says (the run completes with the
      // fallback, as it would run straight through): not reported — unless what was swallowed is the
      // SDK's own "fail now" / "retry later" signal, a risk worth a warning.
      if (failed && failed.invocation === event.invocation && event.routeReturned && event.returned && sdkSignal(failed.error)) {
        report(failed, `the workflow function returned normally`, undefined, "warning");
      }
      failed = undefined;
    },
    finish(result) {
      // A step function that threw synchronously leaves the SDK's "executing" flag set: the next step
      // is refused before it is issued, and the delivery fails with the SDK's nested-step text.
      for (const delivery of result.deliveries) {
        const f = failedIn.get(delivery.invocation);
        const match = delivery.error && NESTED.exec(delivery.error.message);
        if (!f || !match || match[2] !== f.name) continue;
        report(f, `it called step ${JSON.stringify(match[1])} from the catch, which the SDK refused with "${delivery.error!.message}"`, f.thrownAt);
      }
    },
  };
};
