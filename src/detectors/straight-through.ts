import { WorkflowAbort, type RouteFunction, type Step, type StepType, type WorkflowContext } from "@upstash/workflow";
import type { InlineSteps } from "../context/executor.js";
import type { LazyStep } from "../context/lazy-step.js";
import { RunStep } from "../context/steps/run-step.js";
import type { EffectSeenEvent, ReplayObserver, RequestSeenEvent } from "../engine/observer.js";
import { isInstanceOf } from "../errors.js";
import type { CapturedSite } from "../sandbox/location.js";
import { currentStepFrame, runInFrame } from "../sandbox/scope.js";
import { Prng, nanoid } from "../util/prng.js";
import { runPass, type PassSandbox } from "./pass-runner.js";

/** One step the pass's code issued. */
export interface StraightStep {
  position: number;
  name: string;
  type: StepType;
  /** The step's inputs as JSON (a sleep's duration, a call's body...). */
  inputs: string;
  site: CapturedSite;
}

/** How a pass ended. */
export type StraightEnd =
  | { kind: "returned"; output: string }
  | { kind: "threw"; error: string }
  | { kind: "stopped"; step: string }
  | { kind: "hung" }
  /** A function run again made a request the run's own execution never made: nothing to compare. */
  | { kind: "unrepeatable" };

/** What the route did in one pass. */
export interface StraightOutcome {
  issued: StraightStep[];
  end: StraightEnd;
  /** Positions of the memoized steps whose functions the pass ran again for what they write. */
  reran: number[];
  /** What the functions run for their result returned (`= <json>`) or threw (`! <error>`), by position. */
  results: Map<number, string>;
}

/** What a pass does differently from the replay's last delivery. */
export interface StraightOptions {
  /** Run this memoized step's function again (for what it writes outside itself). */
  rerun?(step: RunStep<unknown>, position: number): boolean;
  /** Run this memoized step's function again and keep what it returns (code after it still gets the recorded value). */
  reader?(step: RunStep<unknown>, position: number): boolean;
  /** The value code after the step gets instead of the parsed one (the step's raw result). */
  raw?: ReadonlyMap<number, unknown>;
  /** Run the function of the step at the frontier with this name (the step the run failed in), keeping its result. */
  frontier?: string;
}

/** JSON of a value, or a description when it has none. */
function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch (error) {
    return `<${(error as Error).message}>`;
  }
}

/** Runs a step function in its own step frame (outside the executor, so no flag is left set): `= <json>` or `! <error>`. */
async function runStepFunction(step: RunStep<unknown>, position: number, owner: object): Promise<string> {
  try {
    const value = await runInFrame({ owner, invocation: 0, dryRun: false, step: { name: step.stepName, id: position } }, () => step.fn());
    return `= ${json(value)}`;
  } catch (error) {
    return `! ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

/**
 * One straight-through pass: the route re-run over the final history with every step memoized, as
 * the replay's last delivery runs it, except what `options` changes — the functions of some
 * memoized steps run again first (so what they assign outside themselves is set, as it is when the
 * code runs as a plain function), or code after a step gets the step's raw result instead of its
 * JSON round trip. Two passes that differ only in that show what the delivery boundary lost.
 * Math.random and crypto are fixed for the pass (a step function run again draws from a stream of
 * its own), so two passes see the same values outside steps.
 *
 * @example
 * ```ts
 * const base = await straightThrough(sandbox, {});
 * const inline = await straightThrough(sandbox, { rerun: (step) => writesOutside(step.fn) });
 * firstDifference(base, inline); // undefined when nothing was lost
 * ```
 */
export async function straightThrough(sandbox: PassSandbox, options: StraightOptions): Promise<StraightOutcome> {
  const issued: StraightStep[] = [];
  const reran: number[] = [];
  const results = new Map<number, string>();
  let end: StraightEnd = { kind: "hung" };
  // A function run again is answered from the run's own requests (the user's handlers never see it twice).
  const owner = sandbox.journal?.pass() ?? {};
  const observer: ReplayObserver = {
    stepIssued(e) {
      if (e.mode !== "perturbation" || e.parentStep) return;
      issued.push({ position: e.position, name: e.name, type: e.type, inputs: json(e.inputs), site: e.site() });
    },
  };
  const inline: InlineSteps = {
    memoized(lazy: LazyStep, value: unknown, position: number) {
      if (options.raw?.has(position)) return options.raw.get(position);
      if (!(lazy instanceof RunStep)) return value;
      const writes = options.rerun?.(lazy, position) === true;
      const reads = options.reader?.(lazy, position) === true;
      if (!writes && !reads) return value;
      if (writes) reran.push(position);
      return runStepFunction(lazy, position, owner).then((result) => {
        if (reads) results.set(position, withRequests(result, position));
        return value;
      });
    },
    async frontier(lazy: LazyStep, position: number) {
      if (options.frontier === undefined || lazy.stepName !== options.frontier || !(lazy instanceof RunStep)) return;
      results.set(position, withRequests(await runStepFunction(lazy, position, owner), position));
    },
  };
  const route: RouteFunction<unknown, unknown> = async (context: WorkflowContext<unknown>) => {
    try {
      const value = await sandbox.route(context);
      end = { kind: "returned", output: json(value) };
      return value;
    } catch (error) {
      end = isInstanceOf(error, WorkflowAbort)
        ? { kind: "stopped", step: (error as WorkflowAbort).stepName }
        : { kind: "threw", error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      throw error;
    }
  };
  // what a function read for its result sent counts as part of it (a lost value in a request body)
  const withRequests = (result: string, position: number): string => {
    const sent = sandbox.journal?.sent(owner, position) ?? [];
    return sent.length === 0 ? result : `${result} (after ${sent.join(", ")})`;
  };
  const ids = new Prng(0x57a1);
  // one uuid stream per step (and one outside steps): a function run in one pass only shifts no other's draws
  const streams = new Map<number, Prng>();
  const uuid = () => {
    const id = currentStepFrame()?.step?.id ?? 0;
    let prng = streams.get(id);
    if (!prng) streams.set(id, (prng = new Prng(0x57a2 + id)));
    return prng.uuid();
  };
  await runPass(
    { ...sandbox, route },
    {
      mode: "perturbation",
      steps: sandbox.run.log as Step[],
      observer,
      inline,
      randomId: (n) => nanoid(ids, n),
      variant: { random: 0.5, offset: 0, uuid },
    },
  );
  return { issued, end: sandbox.journal?.tainted(owner) ? { kind: "unrepeatable" } : end, reran, results };
}

/** Where two passes part: the first step that differs, or how they ended. */
export interface StraightDifference {
  /** The position of the first differing step, or undefined when only the ends differ. */
  position?: number;
  /** What the replayed code does there, and what the straight-through code does. */
  replayed: string;
  straight: string;
  /** The step the straight-through pass issued there (its call site locates the read). */
  step?: StraightStep;
  /** The difference is in what a step's function returns (or throws), not in what the route issues. */
  result?: boolean;
}

function describeStep(step: StraightStep | undefined): string {
  if (!step) return "no step";
  return `${step.type} step ${JSON.stringify(step.name)}${step.inputs !== "{}" ? ` with ${step.inputs}` : ""}`;
}

function describeResult(result: string): string {
  return result.startsWith("= ") ? `returns ${result.slice(2)}` : `throws ${result.slice(2)}`;
}

function describeEnd(end: StraightEnd): string {
  switch (end.kind) {
    case "returned":
      return `returns ${end.output}`;
    case "threw":
      return `throws ${end.error}`;
    case "stopped":
      return `goes on to step ${JSON.stringify(end.step)}`;
    case "hung":
      return "does not end";
    case "unrepeatable":
      return "makes a request its run never made";
  }
}

/**
 * The first difference between the replayed pass and the straight-through one: a step's name, type
 * or inputs at a position, what a re-run step function returned, or the end (output, error, the
 * step it stops at). A pass that did not end, or whose re-run functions made a request the run never
 * made, is never compared.
 */
export function firstDifference(replayed: StraightOutcome, straight: StraightOutcome): StraightDifference | undefined {
  const incomparable = (o: StraightOutcome) => o.end.kind === "hung" || o.end.kind === "unrepeatable";
  if (incomparable(replayed) || incomparable(straight)) return undefined;
  let found: StraightDifference | undefined;
  const n = Math.max(replayed.issued.length, straight.issued.length);
  for (let i = 0; i < n && !found; i++) {
    const a = replayed.issued[i];
    const b = straight.issued[i];
    if (a && b && a.name === b.name && a.type === b.type && a.inputs === b.inputs) continue;
    found = {
      position: (a ?? b)!.position,
      replayed: a ? `issues ${describeStep(a)}` : describeEnd(replayed.end),
      straight: b ? `issues ${describeStep(b)}` : describeEnd(straight.end),
      ...(b ? { step: b } : {}),
    };
  }
  for (const [position, result] of [...replayed.results].sort((x, y) => x[0] - y[0])) {
    const other = straight.results.get(position);
    if (other === undefined || other === result) continue;
    if (found?.position !== undefined && found.position <= position) break;
    const step = straight.issued.find((s) => s.position === position);
    const name = JSON.stringify(step?.name ?? `#${position}`);
    return { position, result: true, replayed: `runs step ${name}, whose function ${describeResult(result)}`, straight: `it ${describeResult(other)}`, ...(step ? { step } : {}) };
  }
  if (found) return found;
  if (json(replayed.end) === json(straight.end)) return undefined;
  return { replayed: describeEnd(replayed.end), straight: describeEnd(straight.end) };
}

/**
 * Watches a run for a request or a tracked effect made outside any step: a straight-through pass
 * re-runs the code outside steps, so after one it would repeat that effect for the caller to see.
 *
 * @example
 * ```ts
 * const outside = outsideEffects();
 * const detector = { requestSeen: outside.requestSeen, effectSeen: outside.effectSeen };
 * if (!outside.seen()) await straightThrough(sandbox, {});
 * ```
 */
export function outsideEffects(): Pick<Required<ReplayObserver>, "requestSeen" | "effectSeen"> & { seen(): boolean } {
  let seen = false;
  return {
    requestSeen(event: RequestSeenEvent) {
      if (!event.frame.step) seen = true;
    },
    effectSeen(event: EffectSeenEvent) {
      if (!event.frame.step) seen = true;
    },
    seen: () => seen,
  };
}
