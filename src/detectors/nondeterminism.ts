import type { StepType } from "@upstash/workflow";
import type { GroupFormedEvent, StepInputs, StepIssuedEvent } from "../engine/observer.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory, PerturbationPass } from "./detector.js";
import { at, inParens, locationOf, preview, stableJson, stepCall } from "./describe.js";

/** What a position of the step plan held when it was first issued. */
interface Planned {
  name: string;
  type: StepType;
  inputs: StepInputs;
  fingerprint: string;
  invocation: number;
  location: SourceLocation | undefined;
  nested: boolean;
}

interface Group {
  width: number;
  names: string[];
  invocation: number;
}

/** What a plan entry is, for `expected` / `received`. */
function shape(step: { name: string; type: StepType; inputs: StepInputs }, position: number) {
  return { position, name: step.name, type: step.type, inputs: step.inputs };
}

const EMPTY = "{}";

function isEmpty(inputs: StepInputs): boolean {
  for (const _ in inputs) return false;
  return true;
}

/** How two issues of one position differ, in words; undefined when they agree. */
function difference(a: Planned, b: { name: string; type: StepType; inputs: StepInputs }): { what: string; severe: boolean } | undefined {
  if (a.name !== b.name) return { what: `step name ${JSON.stringify(a.name)} became ${JSON.stringify(b.name)}`, severe: true };
  if (a.type !== b.type) return { what: `${stepCall(a.type, a.name)} became ${stepCall(b.type, b.name)}`, severe: true };
  if (a.fingerprint === EMPTY && isEmpty(b.inputs)) return undefined;
  if (a.fingerprint === stableJson(b.inputs)) return undefined;
  const keys = new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)]);
  for (const key of keys) {
    if (stableJson(a.inputs[key]) !== stableJson(b.inputs[key])) {
      return { what: `${key} of ${stepCall(a.type, a.name)} changed from ${preview(a.inputs[key])} to ${preview(b.inputs[key])}`, severe: false };
    }
  }
  return undefined;
}

const FIX =
  `Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() ` +
  `and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result.`;

const HINT = `Everything outside steps runs again on every delivery; only step results are recorded. Values that shape the plan must come from step results.`;

/**
 * `nondeterminism`: the step plan differs between deliveries (name, type, parallel width, inputs
 * such as a sleep's duration or a call's URL and body), or between the run and a perturbed replay
 * of its final history (Math.random pinned to ~0 and ~1, clock shifted). Reports the first
 * diverging position, with both values in `expected` / `received`.
 */
export const nondeterminism: DetectorFactory = (ctx) => {
  const plan = new Map<number, Planned>();
  const groups = new Map<number, Group>();
  /** A divergence the SDK fails on was reported: later positions diverge as its consequence. */
  let reported = false;

  /**
   * Reports one divergence. Every divergence is reported (one per position), so a harmless drift
   * can never hide a harmful one; after the first that the SDK fails on, later positions are its
   * consequence and are left out.
   */
  const report = (finding: Parameters<typeof ctx.report>[0], position: number, severe: boolean) => {
    if (severe) reported = true;
    ctx.report(severe ? finding : { ...finding, severity: "warning" }, severe ? "plan" : `drift:${position}`);
  };

  return {
    kind: "nondeterminism",
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run" || reported) return;
      const first = plan.get(event.position);
      if (!first) {
        plan.set(event.position, {
          name: event.name,
          type: event.type,
          inputs: event.inputs,
          fingerprint: stableJson(event.inputs),
          invocation: event.invocation,
          location: locationOf(event),
          nested: event.parentStep !== undefined,
        });
        return;
      }
      // a nested step shifts every later position: nested-step reports that bug
      if (first.nested || event.parentStep) return;
      const diff = difference(first, event);
      if (!diff) return;
      const location = locationOf(event);
      report({
        message:
          `The step plan changed between deliveries at position ${event.position}: ${diff.what} (delivery ${first.invocation}${at(first.location)}, then delivery ${event.invocation}${at(location)}). ` +
          (diff.severe
            ? `QStash matches steps by position, so the SDK fails this delivery with "Incompatible step ${first.name !== event.name ? "name" : "type"}" and the run cannot go on. `
            : `The SDK compares only names and types, so it keeps the recorded result and ignores the new value: production runs on as it did the first time, and the drift is harmless today (an error only if this value was meant to reach the step). `) +
          FIX,
        stepName: event.name,
        stepId: event.position,
        invocation: event.invocation,
        ...(location ? { location } : {}),
        hint: HINT,
        expected: shape(first, event.position),
        received: shape(event, event.position),
      }, event.position, diff.severe);
    },
    groupFormed(event: GroupFormedEvent) {
      if (event.mode !== "run" || reported) return;
      const first = groups.get(event.firstPosition);
      if (!first) {
        groups.set(event.firstPosition, { width: event.width, names: event.names, invocation: event.invocation });
        return;
      }
      if (first.width === event.width) return;
      const location = plan.get(event.firstPosition)?.location;
      report({
        message:
          `The parallel group at position ${event.firstPosition}${inParens(location)} had ${first.width} ${first.width === 1 ? "step" : "steps"} in delivery ${first.invocation} and ${event.width} in delivery ${event.invocation}: ` +
          `the SDK fails the delivery with "Incompatible number of parallel steps" (or, in a discarded delivery, silently mixes up results). ` +
          FIX,
        stepId: event.firstPosition,
        invocation: event.invocation,
        ...(location ? { location } : {}),
        hint: HINT,
        expected: { position: event.firstPosition, width: first.width, names: first.names },
        received: { position: event.firstPosition, width: event.width, names: event.names },
      }, event.firstPosition, true);
    },
    async finish(_result, passes) {
      if (reported || plan.size === 0) return;
      for (const pass of await passes()) {
        if (comparePass(pass)) return;
      }
    },
  };

  /** Compares a perturbed pass with the recorded plan; reports the first diverging position. */
  function comparePass(pass: PerturbationPass): boolean {
    const issued = new Map<number, StepIssuedEvent>();
    for (const event of pass.issued) if (!issued.has(event.position)) issued.set(event.position, event);
    const widths = new Map<number, GroupFormedEvent>();
    for (const group of pass.groups) if (!widths.has(group.firstPosition)) widths.set(group.firstPosition, group);
    const positions = [...new Set([...plan.keys(), ...groups.keys()])].sort((a, b) => a - b);
    for (const position of positions) {
      const recordedGroup = groups.get(position);
      const passGroup = widths.get(position);
      if (recordedGroup && passGroup && recordedGroup.width !== passGroup.width) {
        const location = plan.get(position)?.location;
        report({
          message:
            `The parallel group at position ${position}${inParens(location)} changes width when the run is replayed under another seed and clock (${pass.label}): ` +
            `the run had ${recordedGroup.width} ${recordedGroup.width === 1 ? "step" : "steps"}, the perturbed replay ${passGroup.width}. ` +
            `Something outside a step decides it, so a real delivery can disagree with the recorded plan and fail with "Incompatible number of parallel steps". ` +
            FIX,
          stepId: position,
          ...(location ? { location } : {}),
          hint: HINT,
          expected: { position, width: recordedGroup.width, names: recordedGroup.names },
          received: { position, width: passGroup.width, names: passGroup.names },
        }, position, true);
        return true;
      }
      const recorded = plan.get(position);
      const event = issued.get(position);
      if (!recorded || !event || recorded.nested || event.parentStep) continue;
      const diff = difference(recorded, event);
      if (!diff) continue;
      report({
        message:
          `The step plan changes when the run is replayed under another seed and clock (${pass.label}) at position ${position}: ${diff.what}${at(recorded.location)}. ` +
          `Something outside a step — Math.random(), the clock, crypto, module-level state — decides it, so a real delivery can take another path than the recorded one` +
          (diff.severe
            ? ` and fail with "Incompatible step ${recorded.name !== event.name ? "name" : "type"}". `
            : `; the SDK compares only names and types, so a memoized step keeps its recorded input and production tolerates the drift today. `) +
          FIX,
        stepName: recorded.name,
        stepId: position,
        ...(recorded.location ? { location: recorded.location } : {}),
        hint: HINT,
        expected: shape(recorded, position),
        received: shape(event, position),
      }, position, diff.severe);
      if (diff.severe) return true;
    }
    return false;
  }
};
