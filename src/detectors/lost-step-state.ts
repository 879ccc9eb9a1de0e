import { WorkflowAbort, WorkflowError } from "@upstash/workflow";
import type { StepExecutedEvent } from "../engine/observer.js";
import { isInstanceOf } from "../errors.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at } from "./describe.js";
import { mentionsAny, outerWrites, routeLocalWrites } from "./outer-writes.js";
import { firstDifference, outsideEffects, straightThrough, type StraightDifference, type StraightOutcome } from "./straight-through.js";

/** At most this many steps are re-run alone to tell which one's write was lost. */
const MAX_SOLO = 4;

/**
 * `lost-step-state`: a step function assigns a variable outside itself (`let total;
 * await context.run("sum", () => { total = … })`) and code after the step depends on it. The
 * assignment happens only in the delivery that runs the step; every later delivery serves the step
 * from history without running its function, so the variable is `undefined` (or its first value)
 * there. Found by the straight-through pass: the route re-run over the final history with the
 * functions of such steps run again (as a plain function would run them), against the same pass
 * without them. An error only when the two differ — a later step's name or inputs, the output, an
 * error, or a step that fails in the replay and succeeds straight through. `replay()` only.
 */
export const lostStepState: DetectorFactory = (ctx) => {
  let failed: { name: string; error: string } | undefined;
  /** Sources of the step functions executed in the run that assign outside themselves (candidates). */
  const writers: Function[] = [];
  /** A request or tracked effect outside a step: a pass would repeat it for the caller to see, so none runs. */
  const outside = outsideEffects();
  return {
    kind: "lost-step-state",
    requestSeen: outside.requestSeen,
    effectSeen: outside.effectSeen,
    stepExecuted(event: StepExecutedEvent) {
      if (event.type !== "Run") return;
      if (event.fn && writers.length < 50 && outerWrites(event.fn).length > 0) writers.push(event.fn);
      if (event.error === undefined) return;
      if (isInstanceOf(event.error, WorkflowAbort) || isInstanceOf(event.error, WorkflowError)) return;
      const error = event.error instanceof Error ? `${event.error.name}: ${event.error.message}` : String(event.error);
      failed = { name: event.name, error };
    },
    async finish(result, _passes, sandbox) {
      // The passes re-run user code (a counter outside steps counts them): only for a run with a candidate.
      if (!sandbox || outside.seen() || result.steps.length < 2) return;
      const route = sandbox.route;
      if (!writers.some((fn) => routeLocalWrites(fn, route))) return;
      const frontier = result.status === "failed" && failed ? failed.name : undefined;
      const base = frontier !== undefined ? { frontier } : {};
      // Straight through: the functions of steps that assign outside themselves run again, and so do
      // the later steps whose functions mention what was assigned (their results are compared).
      const writes = new Map<number, string[]>();
      const written: string[] = [];
      const readers = new Set<number>();
      const straight = await straightThrough(sandbox, {
        ...base,
        rerun(step, position) {
          const names = routeLocalWrites(step.fn, route);
          if (!names) return false;
          writes.set(position, names);
          for (const name of names) if (!written.includes(name)) written.push(name);
          return true;
        },
        reader(step, position) {
          if (!mentionsAny(step.fn, written) || writes.has(position)) return false;
          readers.add(position);
          return true;
        },
      });
      if (straight.reran.length === 0) return;
      const replayedOptions = { ...base, reader: (_: unknown, position: number) => readers.has(position) };
      const replayed = await straightThrough(sandbox, replayedOptions);
      let difference = differenceOf(replayed, straight);
      // A step function's result must be reproducible to be compared: a second replayed pass agrees.
      if (difference?.result && difference.position !== undefined) {
        const again = await straightThrough(sandbox, replayedOptions);
        if (again.results.get(difference.position) !== replayed.results.get(difference.position)) difference = undefined;
      }
      if (!difference) return;
      const only = (position: number) => ({
        ...base,
        rerun: (_: unknown, p: number) => p === position,
        reader: (_: unknown, p: number) => readers.has(p),
      });
      const culprit = await blame(straight, difference, async (position) => differenceOf(replayed, await straightThrough(sandbox, only(position))) !== undefined);
      report(culprit, writes.get(culprit) ?? [], straight, difference);
    },
  };

  /** The re-run step whose write made the difference: each candidate alone, up to MAX_SOLO of them. */
  async function blame(straight: StraightOutcome, difference: StraightDifference, alone: (position: number) => Promise<boolean>): Promise<number> {
    const before = straight.reran.filter((p) => difference.position === undefined || p < difference.position);
    const candidates = before.length > 0 ? before : straight.reran;
    if (candidates.length === 1) return candidates[0]!;
    for (const position of candidates.slice(0, MAX_SOLO)) if (await alone(position)) return position;
    return candidates[0]!;
  }

  function differenceOf(replayed: StraightOutcome, straight: StraightOutcome): StraightDifference | undefined {
    return firstDifference(replayed, straight);
  }

  function report(position: number, names: string[], straight: StraightOutcome, difference: StraightDifference): void {
    const step = straight.issued.find((s) => s.position === position);
    const location: SourceLocation | undefined = step?.site.resolve();
    const read: SourceLocation | undefined = difference.step?.site.resolve();
    const vars = names.length > 0 ? names.map((n) => `\`${n}\``).join(", ") : "state outside it";
    const name = step?.name ?? `#${position}`;
    const where = difference.position !== undefined ? `at step ${difference.position}${at(read)}` : "at the end of the run";
    ctx.report(
      {
        message:
          `Step ${JSON.stringify(name)}${at(location)} assigns ${vars} inside its function, and the code after it depends on ${names.length === 1 ? "that value" : "those values"}. ` +
          `The function runs only in the delivery that executes the step; every later delivery serves the step from history without running it, so ${vars} ${names.length === 1 ? "is" : "are"} undefined (or still ${names.length === 1 ? "its" : "their"} first value) in every later delivery. ` +
          `${where[0]!.toUpperCase()}${where.slice(1)} the replayed run ${difference.replayed}, where the same code run straight through ${difference.straight}: production does the former. ` +
          `Return the value from context.run and use the step's result (const value = await context.run(${JSON.stringify(name)}, () => …)).`,
        stepName: name,
        stepId: position,
        ...(location ? { location } : {}),
        hint: `Only a step's return value survives the delivery boundary; variables a step function assigns are lost in the next delivery.`,
        expected: { straightThrough: difference.straight },
        received: { replayed: difference.replayed, variables: names, ...(read ? { divergedAt: read } : {}) },
      },
      `state:${name}`,
    );
  }
};
