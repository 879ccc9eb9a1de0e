import { Arbitrary, constant, integer, nat, oneof, array, record, tuple, uniqueArray } from "fast-check";
import { ReplayUsageError } from "../errors.js";
import type { EventSpec, FaultPlan } from "../types.js";
import { durationToSeconds } from "../util/duration.js";
import { OPTION_DEFAULTS } from "../defaults.js";

/**
 * One generated fault schedule: plain data, printed as a literal in failure reports. Every list
 * shrinks towards empty (no fault) and every event towards arriving during the wait.
 */
export interface FaultSchedule {
  /** Fail the first `attempts` deliveries that run step `stepId` (after its body ran); then it succeeds, or the run fails when `attempts` exceeds the retries. */
  failSteps: Array<{ stepId: number; attempts: number }>;
  /** Crash after the step's body ran, before its result was recorded: the step runs again. */
  crashAfterStep: number[];
  /** Deliver twice the message that runs step n (QStash delivers at least once): the step runs again. */
  duplicateSteps: number[];
  /** One entry per moment several deliveries are ready at once (parallel branches): which one goes first. */
  order: number[];
  /** When each event arrives, relative to the wait on it (see {@link EventSpec}). */
  events: Record<string, EventSpec>;
}

/** An event the workflow waits for, with its data (a value or an arbitrary) and the wait's timeout. */
export interface FaultEvent {
  data: unknown;
  /** The timeout the workflow's `waitForEvent` uses (seconds or a duration like "1h"). Default "7d", like the SDK. */
  timeout?: number | string;
}

/** Options of {@link faults}. */
export interface FaultsOptions {
  /** Highest step id a fault may target (steps are numbered 1, 2, ... in the order the route runs them). Default 10. */
  steps?: number;
  /** Most faults of each kind in one schedule. Default 2. */
  maxFaults?: number;
  /** The run's retries (like the `retries` replay option). Default 3. */
  retries?: number;
  /** Generate step failures. Default true. */
  failures?: boolean;
  /** Also generate failures that outlast the retries, so the run fails (the property then expects "failed"). Default false. */
  permanentFailures?: boolean;
  /** Generate crashes after a step's body ran. Default true. */
  crashes?: boolean;
  /** Generate duplicate deliveries. Default true. */
  duplicates?: boolean;
  /** Generate completion orders of parallel branches. Default true. */
  order?: boolean;
  /** Events the workflow waits for: each arrives before, during or after its wait, or never. */
  events?: Record<string, FaultEvent>;
}

const NONE = constant([] as never[]);

function eventTiming(id: string, event: FaultEvent): Arbitrary<EventSpec> {
  const timeout = event.timeout === undefined ? 7 * 86_400 : durationToSeconds(event.timeout);
  if (timeout === undefined || !(timeout > 0)) {
    throw new ReplayUsageError(`Failed to build faults(): events["${id}"].timeout must be a positive number of seconds or a duration like "1h", got ${JSON.stringify(event.timeout)}.`);
  }
  const seconds = Math.max(1, Math.floor(timeout));
  const data: Arbitrary<unknown> = event.data instanceof Arbitrary ? event.data : constant(event.data);
  const timing: Arbitrary<EventSpec["after"]> = oneof(
    // during the wait (shrinks to: right after the wait starts)
    integer({ min: 0, max: seconds - 1 }),
    // notified before the wait started (QStash's lookback keeps it for the run)
    constant("before" as const),
    // after the wait timed out: the wait sees a timeout and the event finds nobody waiting
    integer({ min: seconds, max: seconds * 2 }),
    // never: the wait times out
    constant("never" as const),
  );
  return tuple(data, timing).map(([d, after]) => ({ data: d, after }));
}

/**
 * An arbitrary of fault schedules: step failures (fail the first k attempts of step n, then
 * succeed or not), crashes after a step's body ran but before its result was recorded (the step
 * runs again: at-least-once), duplicate deliveries, the completion order of parallel branches,
 * and event arrival before / during / after the wait or never. Schedules are seeded by
 * fast-check's seed and shrink towards "no fault". Pass it as the `faults` option of
 * {@link replayProperty}.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { faults, replayProperty } from "workflow-replay/fast-check";
 *
 * await fc.assert(
 *   replayProperty(route, {
 *     payload: fc.record({ orderId: fc.uuid() }),
 *     faults: faults({ steps: 4, events: { "order-paid": { data: { ok: true }, timeout: "1h" } } }),
 *   }),
 * );
 * ```
 */
export function faults(options: FaultsOptions = {}): Arbitrary<FaultSchedule> {
  const steps = options.steps ?? 10;
  const maxFaults = options.maxFaults ?? 2;
  const retries = options.retries ?? OPTION_DEFAULTS.retries;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new ReplayUsageError(`Failed to build faults(): "steps" must be a whole number >= 1, got ${String(options.steps)}.`);
  }
  if (!Number.isInteger(maxFaults) || maxFaults < 0) {
    throw new ReplayUsageError(`Failed to build faults(): "maxFaults" must be a whole number >= 0, got ${String(options.maxFaults)}.`);
  }
  const stepId = integer({ min: 1, max: steps });
  const maxAttempts = options.permanentFailures ? retries + 1 : retries;
  const failSteps =
    options.failures === false || maxAttempts < 1 || maxFaults === 0
      ? NONE
      : uniqueArray(record({ stepId, attempts: integer({ min: 1, max: maxAttempts }) }), { maxLength: maxFaults, selector: (f) => f.stepId });
  const crashAfterStep = options.crashes === false || maxFaults === 0 ? NONE : uniqueArray(stepId, { maxLength: maxFaults });
  const duplicateSteps = options.duplicates === false || maxFaults === 0 ? NONE : uniqueArray(stepId, { maxLength: maxFaults });
  const order = options.order === false ? NONE : array(nat({ max: 3 }), { maxLength: steps });
  const eventEntries = Object.entries(options.events ?? {}).map(([id, event]) => [id, eventTiming(id, event)] as const);
  const events: Arbitrary<Record<string, EventSpec>> =
    eventEntries.length === 0 ? constant({}) : record(Object.fromEntries(eventEntries) as Record<string, Arbitrary<EventSpec>>);
  return record({ failSteps, crashAfterStep, duplicateSteps, order, events });
}

/** Splits a schedule into the engine's fault plan and the events option (undefined parts left out). */
export function toReplayFaults(schedule: FaultSchedule | undefined): { faults?: FaultPlan; events?: Record<string, EventSpec> } {
  if (!schedule) return {};
  const plan: FaultPlan = {};
  if (schedule.failSteps.length > 0) plan.failSteps = schedule.failSteps;
  if (schedule.crashAfterStep.length > 0) plan.crashAfterStep = schedule.crashAfterStep;
  if (schedule.duplicateSteps.length > 0) plan.duplicateSteps = schedule.duplicateSteps;
  if (schedule.order.length > 0) plan.order = schedule.order;
  const hasEvents = Object.keys(schedule.events).length > 0;
  return {
    ...(Object.keys(plan).length > 0 ? { faults: plan } : {}),
    ...(hasEvents ? { events: schedule.events } : {}),
  };
}

/** Whether a schedule fails some step more often than the run retries (the run must fail). */
export function exhaustsRetries(schedule: FaultSchedule | undefined, retries: number): boolean {
  return schedule?.failSteps.some((f) => f.attempts > retries) ?? false;
}
