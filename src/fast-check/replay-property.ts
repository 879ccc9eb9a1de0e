import type { RouteFunction } from "@upstash/workflow";
import { asyncProperty, stringify, type Arbitrary, type IAsyncPropertyWithHooks } from "fast-check";
import { ReplayUsageError } from "../errors.js";
import { replay } from "../replay.js";
import type { ChecksOption, ReplayOptions, ReplayResult, RunStatus } from "../types.js";
import { exhaustsRetries, toReplayFaults, type FaultSchedule } from "./faults.js";
import { formatReport } from "../report/format-report.js";
import { OPTION_DEFAULTS } from "../defaults.js";

/** Options of {@link replayProperty}: every `replay()` option, with `payload` and `faults` as arbitraries. */
export interface ReplayPropertyOptions<TPayload> extends Omit<ReplayOptions<TPayload>, "payload" | "faults"> {
  /** Arbitrary of the trigger payload (e.g. `fc.record({ pipeline: pipeline([...]) })` or `zodPayload(schema)`). */
  payload: Arbitrary<TPayload>;
  /** Arbitrary of fault schedules, usually {@link faults}. */
  faults?: Arbitrary<FaultSchedule>;
  /**
   * The status every run must end with. Default "completed", or "failed" when the schedule fails a
   * step more often than the run retries.
   */
  expectStatus?: RunStatus | RunStatus[];
  /** Findings of this severity or worse fail the property. Default "error". */
  failOn?: "error" | "warning";
}

/** Extra checks on each run. Return false or throw to fail the property. */
export type ReplayPredicate<TPayload> = (
  result: ReplayResult,
  payload: TPayload,
  faults: FaultSchedule | undefined,
) => boolean | void | Promise<boolean | void>;

/** A fast-check property over replays, plus its parts for `@fast-check/vitest`'s `test.prop`. */
export type ReplayProperty<TValues extends unknown[]> = IAsyncPropertyWithHooks<TValues> & {
  /** The arbitraries, in the order the property generates its values: `[payload, faults?]`. */
  readonly arbitraries: { [K in keyof TValues]: Arbitrary<TValues[K]> };
  /** Replays one case and throws {@link ReplayPropertyError} if it fails: the body for `test.prop`. */
  readonly runCase: (...values: TValues) => Promise<void>;
};

/**
 * Thrown by a failing case: the message is the run's report and a literal that reruns the case;
 * `result` holds the failing run.
 *
 * @example
 * ```ts
 * const details = await fc.check(replayProperty(route, { payload }));
 * if (details.errorInstance instanceof ReplayPropertyError) console.log(details.errorInstance.result.findings);
 * ```
 */
export class ReplayPropertyError extends Error {
  /** The failing run (not enumerable, so test runners do not print it after the report). */
  declare readonly result: ReplayResult;

  constructor(message: string, result: ReplayResult, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReplayPropertyError";
    Object.defineProperty(this, "result", { value: result, enumerable: false });
  }
}

const PROPERTY_KEYS = new Set(["payload", "faults", "expectStatus", "failOn"]);

/**
 * The literal of the replay options that rerun one case alone (`options`: the property's other options).
 *
 * @example
 * ```ts
 * caseLiteral({ n: 1 }, schedule); // '{ ...options, payload: {"n":1}, faults: {"crashAfterStep":[2]} }'
 * ```
 */
export function caseLiteral(payload: unknown, schedule: FaultSchedule | undefined): string {
  const { faults, events } = toReplayFaults(schedule);
  const parts = ["...options", `payload: ${stringify(payload)}`];
  if (faults) parts.push(`faults: ${stringify(faults)}`);
  if (events) parts.push(`events: ${stringify(events)}`);
  return `{ ${parts.join(", ")} }`;
}

/**
 * A fast-check async property that replays `route` for generated payloads (and fault schedules)
 * and fails when a run has an error-severity finding, ends with an unexpected status, or fails
 * `predicate`. The generated values are `[payload]`, or `[payload, faults]` with `faults`. A
 * failure's message is the run's report plus a literal of the options that rerun that case with
 * `replay()`; `fc.assert` adds the seed and path ({@link assertReplayProperty} prints them all in
 * one message). Under `faults`, `non-idempotent-step` counts as an error unless `checks` says otherwise.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { pipeline, replayProperty } from "workflow-replay/fast-check";
 *
 * await fc.assert(
 *   replayProperty(route, { payload: fc.record({ pipeline: pipeline(["fetch", "summarize", "email"]) }) }),
 *   { numRuns: 200 },
 * );
 * ```
 */
export function replayProperty<TPayload>(
  route: RouteFunction<TPayload, any>,
  options: ReplayPropertyOptions<TPayload> & { faults: Arbitrary<FaultSchedule> },
  predicate?: ReplayPredicate<TPayload>,
): ReplayProperty<[TPayload, FaultSchedule]>;
export function replayProperty<TPayload>(
  route: RouteFunction<TPayload, any>,
  options: ReplayPropertyOptions<TPayload>,
  predicate?: ReplayPredicate<TPayload>,
): ReplayProperty<[TPayload]>;
export function replayProperty<TPayload>(
  route: RouteFunction<TPayload, any>,
  options: ReplayPropertyOptions<TPayload>,
  predicate?: ReplayPredicate<TPayload>,
): ReplayProperty<[TPayload]> | ReplayProperty<[TPayload, FaultSchedule]> {
  if (typeof route !== "function") {
    throw new ReplayUsageError(`Failed to build replayProperty(): the route must be the function you pass to serve(), got ${route === null ? "null" : typeof route}.`);
  }
  if (!options || typeof options !== "object" || !options.payload || typeof (options.payload as { generate?: unknown }).generate !== "function") {
    throw new ReplayUsageError(`Failed to build replayProperty(): "payload" must be a fast-check arbitrary, e.g. { payload: fc.record({ id: fc.nat() }) }. For a fixed payload use fc.constant(value).`);
  }
  if (options.faults !== undefined && typeof (options.faults as { generate?: unknown }).generate !== "function") {
    throw new ReplayUsageError(`Failed to build replayProperty(): "faults" must be a fast-check arbitrary, e.g. faults().`);
  }
  const withFaults = options.faults !== undefined;
  const base: ReplayOptions<TPayload> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!PROPERTY_KEYS.has(key)) (base as Record<string, unknown>)[key] = value;
  }
  const checks: ChecksOption | undefined =
    withFaults && options.checks?.["non-idempotent-step"] === undefined ? { ...options.checks, "non-idempotent-step": "error" } : options.checks;
  if (checks) base.checks = checks;
  const failOnWarnings = options.failOn === "warning";
  const retries = options.retries ?? OPTION_DEFAULTS.retries;
  const explicitStatus = options.expectStatus === undefined ? undefined : ([] as RunStatus[]).concat(options.expectStatus);

  const runCase = async (payload: TPayload, schedule: FaultSchedule | undefined): Promise<void> => {
    const { faults, events } = toReplayFaults(schedule);
    const runOptions: ReplayOptions<TPayload> = { ...base, payload };
    if (faults) runOptions.faults = faults;
    if (events) runOptions.events = { ...base.events, ...events };
    const result = await replay(route, runOptions);
    const problems: string[] = [];
    const expected = explicitStatus ?? [exhaustsRetries(schedule, retries) ? "failed" : "completed"];
    if (!expected.includes(result.status)) {
      problems.push(`the run ended ${result.status}, expected ${expected.join(" or ")}`);
    }
    const failing = result.findings.filter((f) => failOnWarnings || f.severity === "error");
    if (failing.length > 0) {
      const kinds = [...new Set(failing.map((f) => f.kind))].join(", ");
      problems.push(`${failing.length} ${failOnWarnings ? "finding" : "error finding"}${failing.length === 1 ? "" : "s"} (${kinds})`);
    }
    let cause: unknown;
    if (predicate) {
      try {
        const verdict = await predicate(result, payload, schedule);
        if (verdict === false) problems.push("the predicate returned false");
      } catch (error) {
        cause = error;
        problems.push(`the predicate threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (problems.length === 0) return;
    const message =
      `[workflow-replay] Replay property failed: ${problems.join("; ")}.\n` +
      `Rerun this case alone: await replay(route, ${caseLiteral(payload, schedule)})\n\n` +
      formatReport(result, { color: false });
    throw new ReplayPropertyError(message, result, cause === undefined ? undefined : { cause });
  };

  if (withFaults) {
    const arbitraries = [options.payload, options.faults!] as [Arbitrary<TPayload>, Arbitrary<FaultSchedule>];
    const predicateFn = (payload: TPayload, schedule: FaultSchedule) => runCase(payload, schedule);
    const property = asyncProperty(arbitraries[0], arbitraries[1], predicateFn);
    return Object.assign(property, { arbitraries, runCase: predicateFn });
  }
  const arbitraries = [options.payload] as [Arbitrary<TPayload>];
  const predicateFn = (payload: TPayload) => runCase(payload, undefined);
  const property = asyncProperty(arbitraries[0], predicateFn);
  return Object.assign(property, { arbitraries, runCase: predicateFn });
}
