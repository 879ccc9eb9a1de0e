import type { StepType } from "@upstash/workflow";
import type { DeliveryEndEvent, GroupFormedEvent, StepIssuedEvent } from "../engine/observer.js";
import type { DetectorFactory } from "./detector.js";
import type { CapturedSite } from "../sandbox/location.js";
import { at, locationOf, stepCall } from "./describe.js";

interface Tracked {
  name: string;
  type: StepType;
  position: number;
  handle: { awaited: boolean };
  /** The step call's site, resolved to a location only when the step is reported. */
  site: CapturedSite;
  grouped: boolean;
  reported?: boolean;
}

/**
 * `unawaited-step`: a step promise not awaited before the workflow moved on — it returned, or issued
 * a step in a later group while the earlier step was still pending. The SDK executes the step and
 * ends the delivery with a WorkflowAbort nobody handles, while the code after it keeps running.
 * (The harness marks every step promise handled, so the abort never crashes the test process.)
 */
export const unawaitedStep: DetectorFactory = (ctx) => {
  let delivery = -1;
  let tracked: Tracked[] = [];

  const reset = (invocation: number) => {
    if (invocation !== delivery) {
      delivery = invocation;
      tracked = [];
    }
  };

  const report = (step: Tracked, invocation: number, consequence: string) => {
    ctx.report(
      {
        message:
          `Step ${JSON.stringify(step.name)} (${stepCall(step.type, step.name)}${at(step.site.resolve())}) was not awaited before the workflow moved on in delivery ${invocation}: ` +
          `the SDK executes it and ends the delivery with a WorkflowAbort that nobody handles, while the code after it keeps running — ${consequence}. ` +
          `Await it (await ${stepCall(step.type, step.name).replace(/\)$/, ", ...)")}), or run independent steps together with await Promise.all([...]).`,
        stepName: step.name,
        stepId: step.position,
        invocation,
        ...(step.site.resolve() ? { location: step.site.resolve() } : {}),
        hint: `Every step promise must be awaited (directly or through Promise.all) before the workflow issues another step or returns.`,
      },
      `${step.position}:${step.name}`,
    );
  };

  return {
    kind: "unawaited-step",
    deliveryStart(event) {
      reset(event.invocation);
    },
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run") return;
      reset(event.invocation);
      for (const step of tracked) {
        if (step.grouped && !step.reported && !step.handle.awaited) {
          step.reported = true;
          report(step, event.invocation, `here it went on to step ${JSON.stringify(event.name)}${at(locationOf(event))}, so two steps are submitted in one request`);
        }
      }
      // Every step this delivery may run is tracked (with its call site). A step that another
      // delivery runs (a parallel branch) is tracked there: each step may run in at least one.
      if (event.mayExecute && !event.parentStep) {
        tracked.push({
          name: event.name,
          type: event.type,
          position: event.position,
          handle: event.handle,
          site: event.site(),
          grouped: false,
        });
      }
    },
    groupFormed(event: GroupFormedEvent) {
      if (event.mode !== "run") return;
      reset(event.invocation);
      const last = event.firstPosition + event.width;
      for (const step of tracked) if (step.position >= event.firstPosition && step.position < last) step.grouped = true;
    },
    deliveryEnd(event: DeliveryEndEvent) {
      reset(event.invocation);
      if (!event.routeReturned) return;
      for (const step of tracked) {
        if (!step.reported && !step.handle.awaited) {
          report(step, event.invocation, `here the workflow function returned, so the run is marked completed and the step's result is never used`);
        }
      }
    },
  };
};
