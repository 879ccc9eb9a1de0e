import type { ReplayObserver } from "../engine/observer.js";
import type { ChecksOption, Finding, FindingKind, ReplayResult, Severity } from "../types.js";
import type { Detector, DetectorFactory, PerturbationPass } from "./detector.js";
import type { PassSandbox } from "./pass-runner.js";
import { FACTORIES } from "./registry.js";

/** Default severity of every finding kind (design.md). */
export const DEFAULT_SEVERITY: Record<FindingKind, Severity> = {
  nondeterminism: "error",
  "nondeterministic-source": "warning",
  "side-effect-outside-step": "error",
  "duplicate-step-name": "warning",
  "non-serializable-result": "warning",
  "nested-step": "error",
  "swallowed-abort": "error",
  "unawaited-step": "error",
  "payload-mutation": "error",
  "limit-exceeded": "error",
  "function-timeout": "error",
  "non-idempotent-step": "warning",
  "history-incompatible": "error",
  "early-return": "error",
  "caught-step-error": "error",
  "callback-dry-run": "error",
  "lost-step-state": "error",
};


export interface DetectorSet {
  observer: ReplayObserver | undefined;
  /** Runs every detector's end-of-run analysis and returns the findings. */
  finish(result: Omit<ReplayResult, "findings">, passes: () => Promise<PerturbationPass[]>, sandbox?: PassSandbox): Promise<Finding[]>;
  /** Whether any enabled detector wants the perturbation passes. */
  readonly wantsPerturbation: boolean;
}

/**
 * The finding kind each factory builds, learned the first time it runs: later replays skip the
 * factories whose check is off instead of building a detector to drop (a fixed cost per replay).
 */
const KIND_OF = new Map<DetectorFactory, FindingKind>();

/** Builds the enabled detectors for one replay, with the `checks` overrides applied. */
export function createDetectors(checks: ChecksOption = {}): DetectorSet {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const detectors: Detector[] = [];
  for (const factory of FACTORIES) {
    const known = KIND_OF.get(factory);
    if (known !== undefined && checks[known] === "off") continue;
    let kind: FindingKind | undefined;
    const detector = factory({
      get severity() {
        return (checks[kind!] as Severity | undefined) ?? DEFAULT_SEVERITY[kind!];
      },
      report(finding, key) {
        const k = detector.kind;
        const dedupe = `${k}:${key}`;
        if (seen.has(dedupe)) return;
        seen.add(dedupe);
        const configured = checks[k];
        const severity = configured && configured !== "off" ? configured : (finding.severity ?? DEFAULT_SEVERITY[k]);
        findings.push({ kind: k, ...finding, severity } as Finding);
      },
    });
    kind = detector.kind;
    KIND_OF.set(factory, kind);
    if (checks[kind] === "off") continue;
    detectors.push(detector);
  }
  const hooks = ["deliveryStart", "deliveryEnd", "stepIssued", "groupFormed", "stepExecuted", "requestSeen", "effectSeen", "readSeen"] as const;
  const observer: Record<string, (event: never) => void> = {};
  for (const hook of hooks) {
    // bound once: the hooks run on every memoized visit of every delivery
    const listeners = detectors
      .filter((d) => typeof d[hook] === "function")
      .map((d) => (d[hook] as (e: never) => void).bind(d));
    if (listeners.length === 0) continue;
    observer[hook] =
      listeners.length === 1
        ? listeners[0]!
        : (event: never) => {
            for (let i = 0; i < listeners.length; i++) listeners[i]!(event);
          };
  }
  // The detectors compare a visit with the run's plan; a visit that replays history exactly adds nothing.
  if (Object.keys(observer).length > 0) (observer as ReplayObserver).skipConsistentVisits = true;
  return {
    observer: Object.keys(observer).length > 0 ? (observer as ReplayObserver) : undefined,
    wantsPerturbation: detectors.some((d) => d.kind === "nondeterminism"),
    async finish(result, passes, sandbox) {
      let cached: Promise<PerturbationPass[]> | undefined;
      // Once the run's own plan diverged (an error the SDK fails on), the perturbed passes — which
      // re-run user code — add nothing: they run only while no such divergence is known.
      const diverged = () => findings.some((f) => f.kind === "nondeterminism" && f.severity === "error");
      const once = () => (diverged() ? Promise.resolve([]) : (cached ??= passes()));
      for (const d of detectors) await d.finish?.(result, once, sandbox);
      return findings;
    },
  };
}
