import type { DeliveryStartEvent, StepExecutedEvent, StepIssuedEvent } from "../engine/observer.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf, stepCall } from "./describe.js";

/** Upstash Workflow's documented hard limit on steps per run (docs: best-practices / workflow limits). */
export const MAX_STEPS = 1_000;
/** Upstash Workflow's documented limit on a run's context (payload plus recorded step results): 100 MB. */
export const MAX_CONTEXT_BYTES = 100_000_000;

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * `limit-exceeded`: a documented Upstash limit was crossed — more than 1,000 steps in one run, or a
 * run context (payload and recorded step results) over 100 MB. See docs/decisions/0300.
 */
export const limitExceeded: DetectorFactory = (ctx) => {
  let payloadBytes = 0;
  const resultBytes = new Map<number, number>();
  let total = 0;

  return {
    kind: "limit-exceeded",
    deliveryStart(event: DeliveryStartEvent) {
      if (event.kind === "step" && event.rawPayload !== undefined && payloadBytes === 0) {
        payloadBytes = Buffer.byteLength(event.rawPayload, "utf8");
        total += payloadBytes;
      }
    },
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run" || event.position !== MAX_STEPS + 1) return;
      const location = locationOf(event);
      ctx.report(
        {
          message:
            `The run issued its ${MAX_STEPS + 1}st step, ${stepCall(event.type, event.name)}${at(location)} in delivery ${event.invocation}: ` +
            `Upstash Workflow allows at most ${MAX_STEPS.toLocaleString("en-US")} steps per run, so in production this run fails there. ` +
            `Split the work: batch items into fewer steps (one step per chunk of items), or start child runs with context.invoke for each batch.`,
          stepName: event.name,
          stepId: event.position,
          invocation: event.invocation,
          ...(location ? { location } : {}),
          hint: `Every delivery also replays all earlier steps, so long runs get slower as they grow; fewer, larger steps are cheaper.`,
        },
        "steps",
      );
    },
    stepExecuted(event: StepExecutedEvent) {
      if (event.out === undefined) return;
      const bytes = Buffer.byteLength(event.out, "utf8");
      total += bytes - (resultBytes.get(event.stepId) ?? 0);
      resultBytes.set(event.stepId, bytes);
      if (total <= MAX_CONTEXT_BYTES) return;
      const single = bytes > MAX_CONTEXT_BYTES;
      ctx.report(
        {
          message:
            `The result of step ${JSON.stringify(event.name)}${at(event.location)} is ${megabytes(bytes)}` +
            (single ? "" : `, which brings the run's payload and recorded results to ${megabytes(total)}`) +
            `: Upstash Workflow limits a run's context (payload plus every recorded step result) to 100 MB, so in production this run fails there. ` +
            `Keep large data out of step results: store it elsewhere (object storage, a database) inside the step and return only a key or a summary.`,
          stepName: event.name,
          stepId: event.stepId,
          invocation: event.invocation,
          ...(event.location ? { location: event.location } : {}),
          hint: `Every later delivery carries all recorded results in its request body; return ids, not documents.`,
        },
        "context-size",
      );
    },
  };
};
