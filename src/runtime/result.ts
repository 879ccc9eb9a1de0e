import type { RunState } from "../engine/wire-types.js";
import { finalResult } from "../engine/result.js";
import { platformReport } from "../limits/platform.js";
import type { Finding, ReplayResult } from "../types.js";
import type { Runtime } from "./runtime.js";

/** The result before the findings: what the detectors' end-of-run analysis reads. */
export type PartialResult = Omit<ReplayResult, "findings">;

/**
 * The run's `ReplayResult`: the simulator's final state, the application's published messages,
 * the findings `collect` returns for it, then the platform's usage and limit findings.
 *
 * @example
 * ```ts
 * return runResult(runtime, run, (partial) => detectors.finish(partial, async () => []));
 * ```
 */
export async function runResult(runtime: Runtime, run: RunState, collect: (partial: PartialResult) => Promise<Finding[]>): Promise<ReplayResult> {
  const { sim, options } = runtime;
  const partial: PartialResult = { ...finalResult(sim, run, options.seed), published: runtime.appQStash.published };
  const findings = await collect(partial);
  const limits = platformReport(sim, run, partial.usage, options.platform, options.checks);
  return { ...partial, usage: limits.usage, findings: [...findings, ...limits.findings] };
}
