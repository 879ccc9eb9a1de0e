import type { Simulator } from "../engine/simulator.js";
import type { RunState } from "../engine/wire-types.js";
import { ReplayUsageError } from "../errors.js";
import type { ChecksOption, Finding, ReplayOptions, Usage } from "../types.js";
import { limitFindings } from "./checks.js";
import { DEFAULT_PRICE_PER_STEP_USD, type HostLimits, type PlanLimits } from "./facts.js";
import { resolveHost, resolvePlan } from "./options.js";

/** `host`, `plan` and `runsPerDay` resolved to figures. */
export interface Platform {
  host?: HostLimits;
  plan?: PlanLimits;
  runsPerDay?: number;
}

/** Resolves (and so validates) the platform options; throws a `[workflow-replay]` usage error when one is wrong. */
export function resolvePlatform(options: Pick<ReplayOptions, "host" | "plan" | "runsPerDay">, verb: string): Platform {
  const { runsPerDay } = options;
  if (runsPerDay !== undefined && (!Number.isInteger(runsPerDay) || runsPerDay < 1)) {
    throw new ReplayUsageError(`Failed to ${verb}: "runsPerDay" must be a whole number >= 1, got ${JSON.stringify(runsPerDay)}.`);
  }
  const host = resolveHost(options.host, verb);
  const plan = resolvePlan(options.plan, verb);
  return { ...(host ? { host } : {}), ...(plan ? { plan } : {}), ...(runsPerDay !== undefined ? { runsPerDay } : {}) };
}

/** The run's usage at the plan's price, and the findings the host and the plan add. */
export function platformReport(sim: Simulator, root: RunState, usage: Usage, platform: Platform, checks: ChecksOption | undefined): { usage: Usage; findings: Finding[] } {
  const price = platform.plan?.pricePerStepUsd ?? DEFAULT_PRICE_PER_STEP_USD;
  const priced: Usage = {
    ...usage,
    costUsd: Math.round(usage.billedSteps * price * 1e8) / 1e8,
    ...(platform.plan ? { plan: platform.plan.name } : {}),
    ...(platform.host ? { host: platform.host.name, hostLimitMs: platform.host.maxDurationMs } : {}),
  };
  const runs = [root, ...[...sim.runs.values()].filter((r) => r !== root)];
  const findings = limitFindings({ runs, billedSteps: usage.billedSteps, ...platform, ...(checks ? { checks } : {}) });
  return { usage: priced, findings };
}
