import { ReplayUsageError } from "./errors.js";
import { DEFAULT_SEVERITY } from "./detectors/index.js";
import { currentFrame } from "./sandbox/scope.js";
import type { ReplayOptions } from "./types.js";
import { resolvePlatform } from "./limits/platform.js";
import { durationToSeconds } from "./util/duration.js";

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? JSON.stringify(value) : typeof value;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The option names `replay()` and `replayHandler()` share; each adds its own (see `KNOWN_OPTIONS` in each). */
export const SHARED_OPTION_NAMES = [
  "payload",
  "headers",
  "workflowRunId",
  "url",
  "events",
  "webhooks",
  "handlers",
  "retries",
  "workflows",
  "seed",
  "checks",
  "label",
  "startTime",
  "until",
  "maxInvocations",
  "deliveryTimeout",
  "faults",
  "host",
  "plan",
  "runsPerDay",
] as const;

/**
 * Checks the options `replay()` and `replayHandler()` share, so a wrong value fails at once with a
 * `[workflow-replay]` message instead of a confusing error (or silence) deep in a run.
 * `verb` completes "Failed to <verb>".
 */
export function validateSharedOptions(options: ReplayOptions<unknown>, verb: string): void {
  const fail = (message: string): never => {
    throw new ReplayUsageError(`Failed to ${verb}: ${message}`);
  };
  if (currentFrame()) {
    fail(
      `it was called from inside a workflow that is being replayed (a step, the route body, a failure function or a request handler). Replays run one at a time, so a nested one would wait for the outer one forever; replay the inner workflow from your test instead, or run it as a child with "workflows" and context.invoke().`,
    );
  }
  const wholeAtLeast = (key: keyof ReplayOptions, min: number) => {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < min)) {
      fail(`"${key}" must be a whole number >= ${min}, got ${describe(value)}.`);
    }
  };
  wholeAtLeast("retries", 0);
  wholeAtLeast("maxInvocations", 1);
  wholeAtLeast("deliveryTimeout", 1);
  // Every safe integer and every string gets a stream of its own (decision 1303); nothing else does.
  const seed: unknown = options.seed;
  if (seed !== undefined && typeof seed !== "string") {
    if (typeof seed !== "number") fail(`"seed" must be a whole number or a string, got ${describe(seed)}.`);
    else if (!Number.isInteger(seed)) {
      fail(`"seed" must be a whole number or a string, got ${seed}: a fraction would replay like a whole number. Use Math.floor(Math.random() * 2 ** 53), or a string.`);
    } else if (!Number.isSafeInteger(seed)) {
      fail(
        `"seed" must be a whole number from -9007199254740991 to 9007199254740991 (Number.MAX_SAFE_INTEGER), or a string, got ${seed}: beyond that JavaScript rounds integers (2 ** 60 + 1 === 2 ** 60), so it would replay exactly like its neighbours. Pass it as a string.`,
      );
    }
  }
  if (typeof options.deliveryTimeout === "number" && options.deliveryTimeout > 2 ** 31 - 1) {
    fail(`"deliveryTimeout" must be at most 2147483647 ms (about 24.8 days, the longest timer Node keeps), got ${options.deliveryTimeout}.`);
  }
  if (options.until !== undefined && (typeof options.until !== "number" || !Number.isFinite(options.until) || options.until < 0)) {
    fail(`"until" must be a number of virtual milliseconds >= 0 (e.g. 7 * 86_400_000 for a week), got ${describe(options.until)}.`);
  }
  if (options.startTime !== undefined) {
    const t = options.startTime instanceof Date ? options.startTime.getTime() : options.startTime;
    if (typeof t !== "number" || !Number.isFinite(t)) fail(`"startTime" must be a Date or milliseconds since the epoch, got ${describe(options.startTime)}.`);
  }
  if (options.url !== undefined && (typeof options.url !== "string" || !/^https?:\/\//.test(options.url))) {
    fail(`"url" must start with http:// or https://, got ${describe(options.url)}.`);
  }
  if (options.workflowRunId !== undefined && (typeof options.workflowRunId !== "string" || options.workflowRunId === "")) {
    fail(`"workflowRunId" must be a non-empty string, got ${describe(options.workflowRunId)}.`);
  }
  if (options.handlers !== undefined) {
    if (!Array.isArray(options.handlers)) fail(`"handlers" must be an array of msw request handlers, got ${describe(options.handlers)}.`);
    options.handlers!.forEach((handler, i) => {
      if (!isRecord(handler) || typeof handler.run !== "function") {
        fail(`handlers[${i}] is not an msw request handler (make handlers with http.get(...), http.post(...) from "msw").`);
      }
    });
  }
  for (const key of ["headers", "env", "webhooks"] as const) {
    if (options[key] !== undefined && !isRecord(options[key])) fail(`"${key}" must be an object, got ${describe(options[key])}.`);
  }
  if (options.checks !== undefined) {
    if (!isRecord(options.checks)) fail(`"checks" must be an object of finding kinds, got ${describe(options.checks)}.`);
    for (const [kind, level] of Object.entries(options.checks!)) {
      if (!(kind in DEFAULT_SEVERITY)) fail(`checks has an unknown finding kind "${kind}". Known kinds: ${Object.keys(DEFAULT_SEVERITY).join(", ")}.`);
      if (level !== "error" && level !== "warning" && level !== "off") fail(`checks["${kind}"] must be "error", "warning" or "off", got ${describe(level)}.`);
    }
  }
  if (options.events !== undefined) {
    if (!isRecord(options.events)) fail(`"events" must be an object of event ids, got ${describe(options.events)}.`);
    for (const [id, value] of Object.entries(options.events!)) {
      if (!isRecord(value) || !("after" in value)) continue;
      const after = value.after;
      if (after === undefined || after === "never" || after === "before") continue;
      if ((typeof after !== "number" && typeof after !== "string") || durationToSeconds(after) === undefined) {
        fail(`events["${id}"].after must be seconds, a duration like "10s", "5m", "2h" or "1d", "before" or "never", got ${describe(after)}.`);
      }
    }
  }
  resolvePlatform(options, verb);
  if (options.faults !== undefined) {
    if (!isRecord(options.faults)) fail(`"faults" must be a fault plan object, got ${describe(options.faults)}.`);
    for (const [key, value] of Object.entries(options.faults!)) {
      if (value !== undefined && !Array.isArray(value)) fail(`faults.${key} must be an array, got ${describe(value)}.`);
    }
  }
}
