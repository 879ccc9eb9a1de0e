import type { GroupFormedEvent, ReplayObserver, StepIssuedEvent } from "../engine/observer.js";
import type { PassSandbox } from "./pass-runner.js";
import type { Finding, FindingKind, ReplayResult, Severity } from "../types.js";

/** A perturbed re-run of the final history: what today's code issued under another seed and clock. */
export interface PerturbationPass {
  label: string;
  issued: StepIssuedEvent[];
  groups: GroupFormedEvent[];
}

/** What every detector gets: where to report, and its configured severity. */
export interface DetectorContext {
  severity: Severity;
  report(finding: Omit<Finding, "kind" | "severity"> & { severity?: Severity }, dedupeKey: string): void;
}

/** One finding kind. The engine calls its hooks; `finish` runs once after the run. */
export interface Detector extends ReplayObserver {
  readonly kind: FindingKind;
  /** `sandbox`: re-run the route in the replay's sandbox (`replay()` only; a handler hides its route). */
  finish?(result: Omit<ReplayResult, "findings">, passes: () => Promise<PerturbationPass[]>, sandbox?: PassSandbox): void | Promise<void>;
}

export type DetectorFactory = (context: DetectorContext) => Detector;
