import type { DeliveryEndEvent, StepIssuedEvent } from "../engine/observer.js";
import { firstUserFrame, type CapturedSite } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf } from "./describe.js";

/** Aborts that are not tied to one step call: a cancel, or a parallel group discarded as a whole. */
const UNNAMED = new Set(["cancel", "discarded parallel"]);

interface Frontier {
  handle: { awaited: boolean };
  /** The step call's site, resolved to a location only when an abort is reported. */
  site: CapturedSite;
}

/**
 * `swallowed-abort`: user code caught the `WorkflowAbort` the SDK throws to end a delivery and kept
 * going — it returned normally, or issued another step. Code after the catch runs in the same
 * request as the step being submitted; a return marks the run completed while that step is in
 * flight. An abort left unhandled because the step was never awaited is `unawaited-step`'s to report.
 */
export const swallowedAbort: DetectorFactory = (ctx) => {
  let delivery = -1;
  let frontier = new Map<string, Frontier>();

  const reset = (invocation: number) => {
    if (invocation !== delivery) {
      delivery = invocation;
      frontier = new Map();
    }
  };

  /** Whether the abort came from a step the code awaited (so the code that went on had caught it). */
  const caught = (stepName: string): Frontier | "unnamed" | undefined => {
    if (UNNAMED.has(stepName)) return "unnamed";
    const step = frontier.get(stepName);
    return step?.handle.awaited ? step : undefined;
  };

  const report = (invocation: number, stepName: string, step: Frontier | "unnamed", wentOn: string, location: SourceLocation | undefined) => {
    const source =
      stepName === "cancel"
        ? `context.cancel()`
        : stepName === "discarded parallel"
          ? `a parallel group (discarded delivery)`
          : `step ${JSON.stringify(stepName)}${at(step === "unnamed" ? undefined : step.site.resolve())}`;
    ctx.report(
      {
        message:
          (stepName === "cancel"
            ? `The WorkflowCancelAbort thrown by context.cancel() in delivery ${invocation} was caught, and the workflow went on: ${wentOn}. ` +
              `The SDK cancels the run only when that abort (a WorkflowAbort subclass in SDK 1.3.3) reaches it, so the run is never cancelled: it goes on as if cancel() had not been called (verified against the real serve(), decision 1205). `
            : `The WorkflowAbort thrown by ${source} in delivery ${invocation} was caught, and the workflow went on: ${wentOn}. ` +
              `The SDK ends every delivery by throwing WorkflowAbort through your code; code after the catch runs in the same request while the step is being submitted, ` +
              `and a return marks the run completed before that step's result arrives. `) +
          `Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function.`,
        ...(stepName !== "cancel" && stepName !== "discarded parallel" ? { stepName } : {}),
        invocation,
        ...(location ? { location } : {}),
        hint: `try/catch around steps must let WorkflowAbort through; put error handling for the step's own work inside context.run().`,
      },
      stepName,
    );
  };

  const reportDryRun = (invocation: number, caught: { stepName: string; error: Error }) => {
    const location = caught.error.stack ? firstUserFrame(caught.error.stack) : undefined;
    const source = caught.stepName === "cancel" ? "context.cancel()" : `step ${JSON.stringify(caught.stepName)}`;
    ctx.report(
      {
        message:
          `The WorkflowAbort thrown by ${source}${at(location)} in the auth dry run of delivery ${invocation} was caught (or its step was never awaited), so the workflow function returned without reaching a step: ` +
          `before every delivery the SDK runs the workflow up to its first step and throws there; a route that returns instead is answered 400 "Failed to authenticate Workflow request", ` +
          `so no step ever runs and the run fails. ` +
          `Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function.`,
        ...(caught.stepName !== "cancel" ? { stepName: caught.stepName } : {}),
        invocation,
        ...(location ? { location } : {}),
        hint: `A try/catch around the whole workflow body also catches the dry run's abort; wrap only the code that can fail, inside context.run().`,
      },
      `dry-run:${caught.stepName}`,
    );
  };

  return {
    kind: "swallowed-abort",
    deliveryStart(event) {
      reset(event.invocation);
    },
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run") return;
      reset(event.invocation);
      if (event.afterAbort) {
        const step = caught(event.afterAbort.stepName);
        if (step) {
          const location = locationOf(event);
          report(event.invocation, event.afterAbort.stepName, step, `it issued step ${JSON.stringify(event.name)}${at(location)}`, location);
        }
      }
      // only a step this delivery may run can end it with an abort (a call site per step, not per branch)
      if (event.mayExecute) frontier.set(event.name, { handle: event.handle, site: event.site() });
    },
    deliveryEnd(event: DeliveryEndEvent) {
      reset(event.invocation);
      if (event.dryRunAbortCaught) reportDryRun(event.invocation, event.dryRunAbortCaught);
      if (!event.abortThrown || !event.routeReturned) return;
      const step = caught(event.abortThrown.stepName);
      if (!step) return;
      report(event.invocation, event.abortThrown.stepName, step, `the workflow function returned normally`, step === "unnamed" ? undefined : step.site.resolve());
    },
  };
};
