import type { RunState } from "../engine/wire-types.js";
import type { Usage } from "../types.js";

/**
 * What a run uses, counted by Upstash's published rules (docs/decisions/1600): a billed step is a call
 * QStash makes to the workflow URL (the trigger's delivery, every step, parallel plan and discard
 * deliveries, retries, the failure callback) or to an external URL (each attempt of a `context.call`).
 * A `context.call`'s callback rides on its call (the docs count a call as two steps: the request and
 * the delivery of its result). So `run`/`sleep`/`waitForEvent` cost one step, `call` two, each
 * parallel step two, every retry one more, plus one for the trigger. `runs` are the run and the child
 * runs it started (invoke).
 */
export function computeUsage(runs: Iterable<RunState>, pricePerStepUsd: number): Usage {
  let deliveries = 0;
  let callbacks = 0;
  let calls = 0;
  let longestDeliveryMs = 0;
  let computeMs = 0;
  let largestBodyBytes = 0;
  for (const run of runs) {
    deliveries += run.deliveries.length;
    calls += run.calls.length;
    for (const d of run.deliveries) {
      if (d.kind === "callback") callbacks += 1;
      longestDeliveryMs = Math.max(longestDeliveryMs, d.durationMs);
      computeMs += d.durationMs;
      largestBodyBytes = Math.max(largestBodyBytes, d.bodyBytes);
    }
  }
  const billedSteps = deliveries - callbacks + calls;
  return {
    billedSteps,
    deliveries,
    calls,
    longestDeliveryMs,
    computeMs,
    largestBodyBytes,
    // rounded to a millionth of a cent, so sums of small prices print as the hand count does
    costUsd: Math.round(billedSteps * pricePerStepUsd * 1e8) / 1e8,
  };
}
