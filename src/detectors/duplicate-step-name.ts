import type { StepIssuedEvent } from "../engine/observer.js";
import type { CapturedSite } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf, stepCall } from "./describe.js";

/**
 * `duplicate-step-name`: two positions of a run's step plan share a name. The SDK matches steps by
 * position and never checks this, so both run and are recorded under one name: logs, the dashboard
 * and failure reports cannot tell them apart, and a later code change that moves one of them replays
 * the other's result without any error.
 */
export const duplicateStepName: DetectorFactory = (ctx) => {
  /** Call site of each position, taken the first time the position is issued (linear in the steps). */
  const sites = new Map<number, CapturedSite>();
  /** The name each position of the plan was issued with. */
  const nameAt = new Map<number, string>();
  /** The first position that used each name. */
  const firstOf = new Map<string, number>();

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
      const firstSite = sites.get(first)?.resolve();
      const secondSite = sites.get(event.position)?.resolve() ?? locationOf(event);
      const both =
        firstSite && secondSite && sameSite(firstSite, secondSite)
          ? `${at(firstSite).trim()} (the same call, reached twice)`
          : `${at(firstSite).trim() || "at an unknown location"} and ${at(secondSite).trim() || "at an unknown location"}`;
      ctx.report(
        {
          message:
            `Two steps are named ${JSON.stringify(event.name)}: ${stepCall(event.type, event.name)} at positions ${first} and ${event.position}, ${both}. ` +
            `The SDK matches steps by position and never checks names for uniqueness, so both run and are recorded under one name: ` +
            `logs, the dashboard and failure reports cannot tell them apart, and a code change that moves one replays the other's result. ` +
            `Give each step a unique name, e.g. with the loop index: context.run(\`${event.name}-\${i}\`, ...).`,
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
    },
  };
};

function sameSite(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}
