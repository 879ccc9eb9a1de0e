import { WorkflowError } from "@upstash/workflow";
import type { StepExecutedEvent, StepIssuedEvent } from "../engine/observer.js";
import { firstUserFrame } from "../sandbox/location.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf, stepCall } from "./describe.js";

const SDK_NESTED = /^A step can not be run inside another step\. Tried to run '(.*)' inside '(.*)'$/s;

/**
 * `nested-step`: a step method called while another step's function runs. The SDK rejects it only
 * when the inner call happens before the outer function's first `await`; after an await the inner
 * step is submitted as a step of its own and the next delivery fails with "Incompatible step name".
 */
export const nestedStep: DetectorFactory = (ctx) => ({
  kind: "nested-step",
  stepIssued(event: StepIssuedEvent) {
    if (event.mode !== "run" || !event.parentStep) return;
    const location = locationOf(event);
    const outer = event.parentStep.name;
    ctx.report(
      {
        message:
          `Step ${JSON.stringify(event.name)} was started inside step ${JSON.stringify(outer)}${at(location)} (in delivery ${event.invocation}), after an await in the outer step's function: ` +
          `the SDK misses this case and submits ${stepCall(event.type, event.name)} as a step of its own, so the next delivery fails with "Incompatible step name" and the run cannot go on. ` +
          `Call it at the top level of the workflow, after ${JSON.stringify(outer)} returns: const value = await context.run(${JSON.stringify(outer)}, ...); await ${stepCall(event.type, event.name).replace(/\)$/, ", ...)")}.`,
        stepName: event.name,
        stepId: event.position,
        invocation: event.invocation,
        ...(location ? { location } : {}),
        hint: `A step function is plain code that runs once; steps can only be issued by the workflow function itself.`,
      },
      `${outer}>${event.name}`,
    );
  },
  stepExecuted(event: StepExecutedEvent) {
    const error = event.error;
    if (!(error instanceof WorkflowError)) return;
    const match = SDK_NESTED.exec(error.message);
    if (!match) return;
    const [, inner, outer] = match;
    if (outer !== event.name) return;
    const location = (error.stack && firstUserFrame(error.stack)) || event.location;
    ctx.report(
      {
        message:
          `Step ${JSON.stringify(inner)} was started inside step ${JSON.stringify(outer)}${at(location)} (in delivery ${event.invocation}): ` +
          `the SDK rejects a step started before the outer function's first await with "A step can not be run inside another step", so the delivery fails on every retry and the run fails. ` +
          `Call it at the top level of the workflow, after ${JSON.stringify(outer)} returns.`,
        stepName: inner!,
        invocation: event.invocation,
        ...(location ? { location } : {}),
        hint: `A step function is plain code that runs once; steps can only be issued by the workflow function itself.`,
      },
      `${outer}>${inner}`,
    );
  },
});
