/**
 * Published limits and prices of the function hosts and Upstash plans workflow-replay simulates, each
 * with its source and the date it was read. One module, so a changed price is a one-line change, and a
 * user can pass their own figures through the `host` and `plan` options instead of these.
 * Checked on 2026-12-01; see docs/decisions/1600-platform-limits-and-billing.md.
 */

/** Where a figure comes from and when it was read. */
export interface FactSource {
  url: string;
  read: string;
  note?: string;
}

/** A function host's time and memory limits. */
export interface HostLimits {
  /** Shown in findings, e.g. "Vercel Hobby (Fluid compute)". */
  name: string;
  /** Longest a delivery may run before the host stops it (ms): the route's configured maxDuration. */
  maxDurationMs: number;
  /** Most a route may configure on this host (ms), when known. */
  ceilingMs?: number;
  memoryMb?: number;
  source?: FactSource;
}

const VERCEL_LIMITS: FactSource = {
  url: "https://vercel.com/docs/functions/limitations",
  read: "2026-12-01",
  note: "page last updated 2025-12-18; Fluid compute is the default for new projects",
};
const VERCEL_LEGACY: FactSource = {
  url: "https://vercel.com/docs/functions/limitations (legacy table, without Fluid compute)",
  read: "2026-12-01",
  note: "the older defaults most guides quote (Hobby 10 s/60 s, Pro 15 s/300 s, Enterprise 15 s/900 s)",
};

/** The Vercel presets of the `host` option: default maxDuration and the most a route may set. */
export const HOST_PRESETS = {
  "vercel-hobby": {
    fluid: { name: "Vercel Hobby (Fluid compute)", maxDurationMs: 300_000, ceilingMs: 300_000, memoryMb: 2048, source: VERCEL_LIMITS },
    legacy: { name: "Vercel Hobby (without Fluid compute)", maxDurationMs: 10_000, ceilingMs: 60_000, memoryMb: 2048, source: VERCEL_LEGACY },
  },
  "vercel-pro": {
    fluid: { name: "Vercel Pro (Fluid compute)", maxDurationMs: 300_000, ceilingMs: 800_000, memoryMb: 4096, source: VERCEL_LIMITS },
    legacy: { name: "Vercel Pro (without Fluid compute)", maxDurationMs: 15_000, ceilingMs: 300_000, memoryMb: 4096, source: VERCEL_LEGACY },
  },
  "vercel-enterprise": {
    fluid: { name: "Vercel Enterprise (Fluid compute)", maxDurationMs: 300_000, ceilingMs: 800_000, memoryMb: 4096, source: VERCEL_LIMITS },
    legacy: { name: "Vercel Enterprise (without Fluid compute)", maxDurationMs: 15_000, ceilingMs: 900_000, memoryMb: 4096, source: VERCEL_LEGACY },
  },
} as const satisfies Record<string, { fluid: HostLimits; legacy: HostLimits }>;

export type HostPreset = keyof typeof HOST_PRESETS;

/** An Upstash Workflow plan's limits and price. `Infinity` means "no limit". */
export interface PlanLimits {
  name: string;
  /** US dollars per billed step (fixed plans: the monthly price spread over a month at the daily quota). */
  pricePerStepUsd: number;
  stepsPerDay: number;
  /** Largest request body QStash accepts, bytes (a delivery's body carries every recorded step). */
  maxMessageBytes: number;
  /** Most steps of one parallel group. */
  maxParallelism: number;
  /** Longest `sleep` / `sleepUntil` / `waitForEvent` timeout, ms. */
  maxDelayMs: number;
  /** Longest QStash waits for a `context.call` target to answer, ms. */
  maxCallDurationMs: number;
  /** Steps one run may have (every plan: 1,000). */
  maxStepsPerRun: number;
  source?: FactSource;
}

const WORKFLOW_PRICING: FactSource = {
  url: "https://upstash.com/pricing/workflow",
  read: "2026-12-01",
  note: "undated page; a step is one call from QStash to the workflow URL or an external URL; retries and parallel steps count",
};

const DAY = 86_400_000;
const MB = 1_000_000;

/** The Upstash Workflow plans of the `plan` option. */
export const PLANS = {
  free: {
    name: "Upstash Free",
    pricePerStepUsd: 0,
    stepsPerDay: 1_000,
    maxMessageBytes: 1 * MB,
    maxParallelism: 10,
    maxDelayMs: 7 * DAY,
    maxCallDurationMs: 15 * 60_000,
    maxStepsPerRun: 1_000,
    source: WORKFLOW_PRICING,
  },
  "pay-as-you-go": {
    name: "Upstash Pay as You Go",
    pricePerStepUsd: 1 / 100_000,
    stepsPerDay: Infinity,
    maxMessageBytes: 10 * MB,
    maxParallelism: 100,
    maxDelayMs: 365 * DAY,
    maxCallDurationMs: 2 * 3_600_000,
    maxStepsPerRun: 1_000,
    source: WORKFLOW_PRICING,
  },
  "fixed-1m": {
    name: "Upstash Fixed 1M",
    pricePerStepUsd: 180 / (1_000_000 * 30),
    stepsPerDay: 1_000_000,
    maxMessageBytes: 50 * MB,
    maxParallelism: 200,
    maxDelayMs: Infinity,
    maxCallDurationMs: 6 * 3_600_000,
    maxStepsPerRun: 1_000,
    source: WORKFLOW_PRICING,
  },
  "fixed-10m": {
    name: "Upstash Fixed 10M",
    pricePerStepUsd: 420 / (10_000_000 * 30),
    stepsPerDay: 10_000_000,
    maxMessageBytes: 50 * MB,
    maxParallelism: 1_000,
    maxDelayMs: Infinity,
    maxCallDurationMs: 12 * 3_600_000,
    maxStepsPerRun: 1_000,
    source: WORKFLOW_PRICING,
  },
} as const satisfies Record<string, PlanLimits>;

export type PlanName = keyof typeof PLANS;

/** The price `result.usage.costUsd` uses when no plan is given: pay-as-you-go. */
export const DEFAULT_PRICE_PER_STEP_USD = PLANS["pay-as-you-go"].pricePerStepUsd;

/** How a host stops a delivery that runs past its maxDuration (Vercel's error code and status). */
export const HOST_TIMEOUT = { status: 504, code: "FUNCTION_INVOCATION_TIMEOUT" } as const;
