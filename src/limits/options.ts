import { ReplayUsageError } from "../errors.js";
import { durationToSeconds } from "../util/duration.js";
import { HOST_PRESETS, PLANS, type HostLimits, type HostPreset, type PlanLimits, type PlanName } from "./facts.js";

/** A duration: seconds, or a string like the SDK's ("30s", "15m", "2h", "1d"). */
export type DurationInput = number | string;

/**
 * The `host` option: a preset, or a route's own limits. `name` may name a preset, whose memory and
 * ceiling then apply (a `maxDuration` above the preset's ceiling is refused, as Vercel refuses it).
 */
export type HostOption =
  | HostPreset
  | {
      /** The route's `export const maxDuration` (seconds, or "15m"). */
      maxDuration?: DurationInput;
      /** Memory in MB (reported, not enforced). */
      memory?: number;
      /** A preset ("vercel-pro") or a free-text name for findings. */
      name?: string;
      /** With a Vercel preset: `false` takes the older limits of projects without Fluid compute. */
      fluid?: boolean;
    };

/** The `plan` option: a plan's name, or limits of your own (on top of `extends`, default pay-as-you-go). */
export type PlanOption = PlanName | (Partial<Omit<PlanLimits, "maxDelayMs" | "maxCallDurationMs">> & {
  extends?: PlanName;
  maxDelay?: DurationInput;
  maxCallDuration?: DurationInput;
});

const fail = (verb: string, message: string): never => {
  throw new ReplayUsageError(`Failed to ${verb}: ${message}`);
};

function durationMs(value: DurationInput, what: string, verb: string): number {
  const seconds = durationToSeconds(value);
  if (seconds === undefined || seconds <= 0) {
    fail(verb, `${what} must be a positive number of seconds or a duration like "30s", "15m" or "1h", got ${JSON.stringify(value)}.`);
  }
  return Math.round(seconds! * 1000);
}

const isPreset = (name: unknown): name is HostPreset => typeof name === "string" && Object.prototype.hasOwnProperty.call(HOST_PRESETS, name);

/** The host limits a `host` option stands for (undefined without one). */
export function resolveHost(option: HostOption | undefined, verb = "replay"): HostLimits | undefined {
  if (option === undefined) return undefined;
  if (typeof option === "string") {
    if (!isPreset(option)) fail(verb, `"host" must be one of ${Object.keys(HOST_PRESETS).map((k) => `"${k}"`).join(", ")} or { maxDuration }, got ${JSON.stringify(option)}.`);
    return { ...HOST_PRESETS[option as HostPreset].fluid };
  }
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    return fail(verb, `"host" must be a preset name or an object { maxDuration, memory?, name? }, got ${option === null ? "null" : typeof option}.`);
  }
  const preset = isPreset(option.name) ? HOST_PRESETS[option.name][option.fluid === false ? "legacy" : "fluid"] : undefined;
  if (option.maxDuration === undefined && !preset) fail(verb, `"host" needs a maxDuration (seconds or "15m") or a preset name.`);
  const maxDurationMs = option.maxDuration === undefined ? preset!.maxDurationMs : durationMs(option.maxDuration, "host.maxDuration", verb);
  if (preset?.ceilingMs !== undefined && maxDurationMs > preset.ceilingMs) {
    fail(verb, `host.maxDuration is ${maxDurationMs / 1000} s, but ${preset.name} allows at most ${preset.ceilingMs / 1000} s. Use a larger plan or move the long work out of the function (context.call, or start a job and waitForEvent).`);
  }
  if (option.memory !== undefined && (typeof option.memory !== "number" || !(option.memory > 0))) fail(verb, `host.memory must be a number of MB, got ${JSON.stringify(option.memory)}.`);
  const name = preset ? (option.maxDuration === undefined ? preset.name : `${preset.name}, maxDuration ${maxDurationMs / 1000} s`) : (option.name ?? `a host with maxDuration ${maxDurationMs / 1000} s`);
  return {
    name,
    maxDurationMs,
    ...(preset?.ceilingMs !== undefined ? { ceilingMs: preset.ceilingMs } : {}),
    ...((option.memory ?? preset?.memoryMb) !== undefined ? { memoryMb: option.memory ?? preset!.memoryMb } : {}),
    ...(preset?.source ? { source: preset.source } : {}),
  };
}

/** The plan limits a `plan` option stands for (undefined without one). */
export function resolvePlan(option: PlanOption | undefined, verb = "replay"): PlanLimits | undefined {
  if (option === undefined) return undefined;
  const isPlan = (name: unknown): name is PlanName => typeof name === "string" && Object.prototype.hasOwnProperty.call(PLANS, name);
  if (typeof option === "string") {
    if (!isPlan(option)) fail(verb, `"plan" must be one of ${Object.keys(PLANS).map((k) => `"${k}"`).join(", ")} or an object of limits, got ${JSON.stringify(option)}.`);
    return { ...PLANS[option as PlanName] };
  }
  if (typeof option !== "object" || option === null || Array.isArray(option)) {
    return fail(verb, `"plan" must be a plan name or an object of limits, got ${option === null ? "null" : typeof option}.`);
  }
  if (option.extends !== undefined && !isPlan(option.extends)) fail(verb, `plan.extends must be one of ${Object.keys(PLANS).join(", ")}, got ${JSON.stringify(option.extends)}.`);
  const base: PlanLimits = { ...PLANS[option.extends ?? "pay-as-you-go"] };
  const { extends: _extends, maxDelay, maxCallDuration, ...limits } = option;
  void _extends;
  for (const [key, value] of Object.entries(limits)) {
    if (key === "name" || key === "source") continue;
    if (!(key in base)) fail(verb, `plan has an unknown limit "${key}". Known: ${Object.keys(base).filter((k) => k !== "source").join(", ")}, maxDelay, maxCallDuration, extends.`);
    if (typeof value !== "number" || !(value >= 0)) fail(verb, `plan.${key} must be a number >= 0 (Infinity for no limit), got ${JSON.stringify(value)}.`);
  }
  return {
    ...base,
    ...limits,
    name: limits.name ?? (option.extends ? `${base.name} (customized)` : "a custom plan"),
    ...(maxDelay !== undefined ? { maxDelayMs: durationMs(maxDelay, "plan.maxDelay", verb) } : {}),
    ...(maxCallDuration !== undefined ? { maxCallDurationMs: durationMs(maxCallDuration, "plan.maxCallDuration", verb) } : {}),
  } as PlanLimits;
}
