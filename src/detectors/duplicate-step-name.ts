import type { StepIssuedEvent } from "../engine/observer.js";
import type { CapturedSite } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory, PerturbationPass } from "./detector.js";
import { at, locationOf, stepCall } from "./describe.js";

interface Duplicate {
  event: Pick<StepIssuedEvent, "name" | "type" | "position" | "invocation">;
  first: number;
  firstSite: SourceLocation | undefined;
  secondSite: SourceLocation | undefined;
}

/** A position whose step kept its (shared) name but came from another call site in a perturbed pass. */
interface Shift {
  position: number;
  name: string;
  label: string;
  recorded: SourceLocation | undefined;
  received: SourceLocation | undefined;
}

/**
 * `duplicate-step-name`: two positions of a run's step plan share a name. The SDK (1.3.3) matches
 * steps by position and never checks names for uniqueness, so stable duplicates — Upstash's own
 * drip loop, one handler reused across a pipeline — work: a warning that explains the risk. It is
 * an error when the shared name hides a divergence: under another seed and clock a position holding
 * the shared name is reached from another call site, a shift that only the equal name let pass
 * (the SDK would serve that position the other step's recorded result).
 */
export const duplicateStepName: DetectorFactory = (ctx) => {
  /** Call site of each position, taken the first time the position is issued (linear in the steps). */
  const sites = new Map<number, CapturedSite>();
  /** The name each position of the plan was issued with. */
  const nameAt = new Map<number, string>();
  /** The first position that used each name. */
  const firstOf = new Map<string, number>();
  const duplicates: Duplicate[] = [];
  const duplicated = new Set<string>();

  return {
    kind: "duplicate-step-name",
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run") return;
      // A revisit of a known position adds nothing: the work is linear in the plan, not in the
      // quadratic number of memoized visits. (A position whose name changes is nondeterminism's.)
      if (nameAt.get(event.position) === event.name) return;
      nameAt.set(event.position, event.name);
      sites.set(event.position, event.site());
      const first = firstOf.get(event.name);
      if (first === undefined || first === event.position || nameAt.get(first) !== event.name) {
        firstOf.set(event.name, event.position);
        return;
      }
      if (duplicated.has(event.name)) return;
      duplicated.add(event.name);
      duplicates.push({
        event: { name: event.name, type: event.type, position: event.position, invocation: event.invocation },
        first,
        firstSite: sites.get(first)?.resolve(),
        secondSite: sites.get(event.position)?.resolve() ?? locationOf(event),
      });
    },
    async finish(_result, passes) {
      const shifts = new Map<string, Shift>();
      for (const pass of await passes()) {
        for (const shift of shiftsIn(pass)) if (!shifts.has(shift.name)) shifts.set(shift.name, shift);
      }
      for (const duplicate of duplicates) report(duplicate, shifts.get(duplicate.event.name));
      // A name used at two call sites on two paths: the run took one, the perturbed pass the other.
      for (const shift of shifts.values()) if (!duplicated.has(shift.name)) reportHidden(shift);
    },
  };

  function shiftsIn(pass: PerturbationPass): Shift[] {
    const out: Shift[] = [];
    const visited = new Set<number>();
    for (const event of pass.issued) {
      if (visited.has(event.position)) continue;
      visited.add(event.position);
      if (nameAt.get(event.position) !== event.name) continue;
      const recorded = sites.get(event.position)?.resolve();
      const received = event.site().resolve();
      if (recorded && received && !sameSite(recorded, received)) {
        out.push({ position: event.position, name: event.name, label: pass.label, recorded, received });
      }
    }
    return out;
  }

  function reportHidden(shift: Shift): void {
    ctx.report(
      {
        severity: "error",
        message:
          `Two call sites name their step ${JSON.stringify(shift.name)}, ${at(shift.recorded).trim()} and ${at(shift.received).trim()}, and the shared name hides a divergence: ` +
          `the run reached position ${shift.position} through the first, and when it is replayed under another seed and clock (${shift.label}) it reaches it through the second. ` +
          `The SDK matches steps by position and compares only names, so in production a delivery that takes the other path is served the other step's recorded result and goes on with the wrong value, without any error. ` +
          `Give each call site its own name, and decide the path from a step result: const path = await context.run("choose", () => ...).`,
        stepName: shift.name,
        stepId: shift.position,
        ...(shift.received ? { location: shift.received } : {}),
        hint: `Step names identify steps in the run's history; a name shared by two paths lets a change of path pass unnoticed.`,
        expected: { position: shift.position, ...(shift.recorded ? { location: shift.recorded } : {}) },
        received: { position: shift.position, ...(shift.received ? { location: shift.received } : {}) },
      },
      `hidden:${shift.name}`,
    );
  }

  function report(duplicate: Duplicate, shift: Shift | undefined): void {
    const { event, first, firstSite, secondSite } = duplicate;
    const both =
      firstSite && secondSite && sameSite(firstSite, secondSite)
        ? `${at(firstSite).trim()} (the same call, reached twice)`
        : `${at(firstSite).trim() || "at an unknown location"} and ${at(secondSite).trim() || "at an unknown location"}`;
    const head = `Two steps are named ${JSON.stringify(event.name)}: ${stepCall(event.type, event.name)} at positions ${first} and ${event.position}, ${both}. `;
    const fix = `Give each step a unique name, e.g. with the loop index: context.run(\`${event.name}-\${i}\`, ...).`;
    const message = shift
      ? head +
        `The shared name hides a divergence: when the run is replayed under another seed and clock (${shift.label}), position ${shift.position} is ${JSON.stringify(shift.name)} from another call site (${at(shift.received).trim()} instead of ${at(shift.recorded).trim()}). ` +
        `The SDK matches steps by position and compares only names, so in production that delivery is served the other step's recorded result and goes on with the wrong value, without any error. ` +
        fix
      : head +
        `The SDK (1.3.3) matches steps by position and never checks names for uniqueness, so this works in production today; the risk is that logs, the dashboard and failure reports cannot tell them apart, ` +
        `and a later change of the plan that moves one of them cannot be caught by name: the SDK would serve it the other one's result. ` +
        fix;
    ctx.report(
      {
        severity: shift ? "error" : "warning",
        message,
        stepName: event.name,
        stepId: event.position,
        invocation: event.invocation,
        ...(secondSite ? { location: secondSite } : {}),
        hint: `Step names identify steps in the run's history; derive repeated names from the loop index or the item's id.`,
        expected: { position: first, ...(firstSite ? { location: firstSite } : {}) },
        received: { position: event.position, ...(secondSite ? { location: secondSite } : {}) },
      },
      event.name,
    );
  }
};

function sameSite(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}
