import type { RequestHandler } from "msw";
import { OPTION_DEFAULTS } from "../defaults.js";
import { resolvePlatform, type Platform } from "../limits/platform.js";
import type { ChecksOption, EventSpec, FaultPlan, ReplayOptions, WebhookRequestSpec } from "../types.js";
import { parseLabels } from "../util/labels.js";
import { generatedRunId } from "./streams.js";

/** The options one run shares between its drivers, every default applied. */
export interface RuntimeOptions {
  seed: number | string;
  /** ms since the epoch. */
  startTime: number;
  deliveryTimeout: number;
  retries: number;
  maxInvocations: number;
  labels: string[];
  /** With its `wfr_` prefix. */
  workflowRunId: string;
  url: string;
  headers: Record<string, string>;
  handlers: readonly RequestHandler[];
  events: Record<string, unknown | EventSpec>;
  webhooks: Record<string, WebhookRequestSpec>;
  until: number | undefined;
  faults: FaultPlan | undefined;
  checks: ChecksOption | undefined;
  platform: Platform;
}

/** The options {@link resolveRuntimeOptions} reads. */
export type SharedRunOptions = Pick<
  ReplayOptions<unknown>,
  | "seed"
  | "startTime"
  | "deliveryTimeout"
  | "retries"
  | "maxInvocations"
  | "label"
  | "workflowRunId"
  | "url"
  | "headers"
  | "handlers"
  | "events"
  | "webhooks"
  | "until"
  | "faults"
  | "checks"
  | "host"
  | "plan"
  | "runsPerDay"
>;

/**
 * Applies every default of the shared options once (decision 1703). `verb` completes the
 * "Failed to <verb>" of a platform option's usage error. Call it after the options were validated.
 *
 * @example
 * ```ts
 * const resolved = resolveRuntimeOptions({ seed: 7, label: "a,b" }, "replay");
 * resolved.labels;    // ["a", "b"]
 * resolved.retries;   // 3
 * resolved.startTime; // Date.UTC(2025, 0, 1)
 * ```
 */
export function resolveRuntimeOptions(options: SharedRunOptions, verb: string): RuntimeOptions {
  const seed = options.seed ?? OPTION_DEFAULTS.seed;
  const id = options.workflowRunId;
  return {
    seed,
    startTime: options.startTime instanceof Date ? options.startTime.getTime() : (options.startTime ?? OPTION_DEFAULTS.startTime),
    deliveryTimeout: options.deliveryTimeout ?? OPTION_DEFAULTS.deliveryTimeout,
    retries: options.retries ?? OPTION_DEFAULTS.retries,
    maxInvocations: options.maxInvocations ?? OPTION_DEFAULTS.maxInvocations,
    labels: parseLabels(options.label),
    workflowRunId: id ? (id.startsWith("wfr_") ? id : `wfr_${id}`) : generatedRunId(seed),
    url: options.url ?? OPTION_DEFAULTS.url,
    headers: { ...(options.headers ?? {}) },
    handlers: options.handlers ?? [],
    events: (options.events ?? {}) as Record<string, unknown>,
    webhooks: options.webhooks ?? {},
    until: options.until,
    faults: options.faults,
    checks: options.checks,
    platform: resolvePlatform(options, verb),
  };
}
