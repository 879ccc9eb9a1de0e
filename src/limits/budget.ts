import type { ReplayResult } from "../types.js";
import { durationToSeconds } from "../util/duration.js";
import { formatDuration } from "../report/time.js";
import type { DurationInput } from "./options.js";

/**
 * A budget a run must stay within (every field optional): what `assertReplay({ budget })` and the
 * `toStayWithinBudget` matcher check against `result.usage` and the run's virtual duration.
 *
 * @example
 * ```ts
 * assertReplay(result, { budget: { steps: 20, costUsd: 0.001, deliveryDuration: "5m" } });
 * ```
 */
export interface Budget {
  /** Most billed steps (`usage.billedSteps`). */
  steps?: number;
  /** Most cost in US dollars (`usage.costUsd`). */
  costUsd?: number;
  /** Longest any one delivery may run (`usage.longestDeliveryMs`): seconds or "5m". */
  deliveryDuration?: DurationInput;
  /** Longest the whole run may take on the virtual clock, first delivery to end: seconds or "2h". */
  runDuration?: DurationInput;
}

const ms = (value: DurationInput | undefined, what: string): number | undefined => {
  if (value === undefined) return undefined;
  const seconds = durationToSeconds(value);
  if (seconds === undefined || seconds < 0) {
    throw new TypeError(`[workflow-replay] Failed to check the budget: ${what} must be seconds or a duration like "30s", "5m", "2h", got ${JSON.stringify(value)}.`);
  }
  return seconds * 1000;
};

/** What the run spent over `budget`, one phrase per overrun (empty when it stayed within). */
export function budgetOverruns(result: ReplayResult, budget: Budget): string[] {
  const over: string[] = [];
  const u = result.usage;
  if (budget.steps !== undefined && u.billedSteps > budget.steps) over.push(`${u.billedSteps} billed steps (budget ${budget.steps})`);
  if (budget.costUsd !== undefined && u.costUsd > budget.costUsd) over.push(`$${u.costUsd} (budget $${budget.costUsd})`);
  const delivery = ms(budget.deliveryDuration, "deliveryDuration");
  if (delivery !== undefined && u.longestDeliveryMs > delivery) {
    over.push(`a ${formatDuration(u.longestDeliveryMs)} delivery (budget ${formatDuration(delivery)})`);
  }
  const run = ms(budget.runDuration, "runDuration");
  const first = result.deliveries[0]?.at;
  const took = first === undefined ? 0 : result.endedAt - first;
  if (run !== undefined && took > run) over.push(`${formatDuration(took)} of run time (budget ${formatDuration(run)})`);
  return over;
}
