import type { RunState } from "../engine/wire-types.js";
import type { Usage } from "../types.js";

/**
 * What a run uses, counted by Upstash's published rule (docs/decisions/1600): a billed step is one call
 * QStash makes, to the workflow URL (every delivery: step, parallel plan and discard deliveries,
 * `context.call` callbacks, retries, the failure callback) or to an external URL (each attempt of a
 * `context.call`). So `run`/`sleep`/`waitForEvent` cost one step, `call` two, each parallel step two,
 * and every retry one more. `runs` are the run and the child runs it started (invoke).
 */
export function computeUsage(runs: Iterable<RunState>, pricePerStepUsd: number): Usage {
  let deliveries = 0;
  let calls = 0;
  let longestDeliveryMs = 0;
  let computeMs = 0;
  let largestBodyBytes = 0;
  for (const run of runs) {
    deliveries += run.deliveries.length;
    calls += run.calls.length;
    for (const d of run.deliveries) {
      longestDeliveryMs = Math.max(longestDeliveryMs, d.durationMs);
      computeMs += d.durationMs;
      largestBodyBytes = Math.max(largestBodyBytes, d.bodyBytes);
    }
  }
  const billedSteps = deliveries + calls;
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
