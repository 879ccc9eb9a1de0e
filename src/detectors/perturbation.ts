import type { GroupFormedEvent, ReplayObserver, StepIssuedEvent } from "../engine/observer.js";
import { nanoid, Prng } from "../util/prng.js";
import type { PerturbationPass } from "./detector.js";
import { runPass, type PassSandbox } from "./pass-runner.js";

/**
 * Perturbation variants: extreme random values and far clock shifts flip any threshold on them; a
 * middle value flips a band (`Math.floor(Math.random() * 10) % 5 === 2`, Upstash's own example of
 * code that breaks a replay, is false at both ends and true at 0.25).
 */
const VARIANTS = [
  { label: "Math.random() → 0, clock +1d 12h 13m", random: 1e-9, offset: 130_380_000 + 7_517 },
  { label: "Math.random() → 0.999…, clock +3d 5h 47m", random: 1 - 1e-9, offset: 279_420_000 + 3_331 },
  { label: "Math.random() → 0.25, clock +11h 17m", random: 0.25 + 1e-9, offset: 40_620_000 + 1_709 },
];

/**
 * Re-runs the final history once per variant, every step memoized, recording what the code issues
 * (for the nondeterminism and duplicate-step-name detectors). A run of fewer than two steps has
 * nothing to compare and gets no pass.
 *
 * @example
 * ```ts
 * const passes = await perturbationPasses(sandbox);
 * passes[0]?.issued.map((e) => e.name);
 * ```
 */
export async function perturbationPasses(sandbox: PassSandbox): Promise<PerturbationPass[]> {
  const passes: PerturbationPass[] = [];
  const steps = sandbox.run.log;
  if (steps.length < 2) return passes;
  for (const variant of VARIANTS) {
    const issued: StepIssuedEvent[] = [];
    const groups: GroupFormedEvent[] = [];
    const collector: ReplayObserver = {
      stepIssued: (e) => {
        // the call site is kept (duplicate-step-name compares it); the location is never resolved here
        const site = e.site();
        issued.push({ ...e, location: () => undefined, site: () => site });
      },
      groupFormed: (e) => groups.push(e),
    };
    const variantPrng = new Prng(0x9e37 + passes.length);
    await runPass(sandbox, {
      mode: "perturbation",
      steps,
      observer: collector,
      randomId: (n) => nanoid(variantPrng, n),
      variant: { random: variant.random, offset: variant.offset, uuid: () => variantPrng.uuid() },
    });
    passes.push({ label: variant.label, issued, groups });
  }
  return passes;
}
