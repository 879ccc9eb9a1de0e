import type { StepIssuedEvent } from "../engine/observer.js";
import type { CapturedSite } from "../sandbox/location.js";
import type { SourceLocation } from "../types.js";
import type { DetectorFactory } from "./detector.js";
import { at, locationOf, stepCall } from "./describe.js";

/**
 * `duplicate-step-name`: two steps issued in one delivery share a name. The SDK matches steps by
 * position and never checks this, so both run and are recorded under one name: logs, the dashboard
 * and failure reports cannot tell them apart, and a later code change that moves one of them replays
 * the other's result without any error.
 */
export const duplicateStepName: DetectorFactory = (ctx) => {
  /** Call site of each position, taken the first time the position is issued (linear in the steps). */
  const sites = new Map<number, CapturedSite>();
  let delivery = -1;
  let names = new Map<string, number>();

  return {
    kind: "duplicate-step-name",
    stepIssued(event: StepIssuedEvent) {
      if (event.mode !== "run") return;
      if (event.invocation !== delivery) {
        delivery = event.invocation;
        names = new Map();
      }
      if (!sites.has(event.position)) sites.set(event.position, event.site());
      const first = names.get(event.name);
      if (first === undefined) {
        names.set(event.name, event.position);
        return;
      }
      if (first === event.position) return;
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
