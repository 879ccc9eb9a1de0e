import type { ReplayError } from "../types.js";
import { durationToSeconds } from "../util/duration.js";
import type { EndpointResponse } from "./wire-types.js";

/** QStash's default backoff: min(86400, e^(2.5 n)) seconds for the n-th retry. */
export function backoffMs(retry: number): number {
  return Math.round(Math.min(86_400, Math.exp(2.5 * retry)) * 1000);
}

/** What QStash does after an unsuccessful answer: fail the run, or deliver again after a delay. */
export type RetryDecision = { fail: ReplayError } | { retryIn: number };

/**
 * QStash's reaction to a non-2xx status on the `retried`-th attempt of a message allowed `retries`
 * retries: 489 (non-retryable) and an exhausted budget fail the run; 429 with `Retry-After` waits
 * that long; anything else backs off.
 */
export function retryDecision(response: EndpointResponse, retried: number, retries: number): RetryDecision {
  const error: ReplayError = {
    name: response.error?.name ?? "Error",
    message: response.error?.message ?? `The endpoint answered ${response.status}.`,
    status: response.status,
    ...(response.stepName ? { stepName: response.stepName } : {}),
  };
  if (response.status === 489 || retried >= retries) return { fail: error };
  if (response.status === 429 && response.retryAfter !== undefined) {
    return { retryIn: (durationToSeconds(response.retryAfter) ?? 0) * 1000 };
  }
  return { retryIn: backoffMs(retried + 1) };
}
