import { array, constantFrom, type Arbitrary } from "fast-check";
import { ReplayUsageError } from "../errors.js";

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /** Fewest entries. Default 0. */
  minLength?: number;
  /** Most entries. Default 10. */
  maxLength?: number;
}

/**
 * An arbitrary of user-defined pipelines: lists of actions, repeats allowed, in any order. It
 * shrinks towards shorter lists and towards the first action, so a failing pipeline ends up as
 * the smallest one that still fails (often two entries of the same action).
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { pipeline } from "workflow-replay/fast-check";
 *
 * const payload = fc.record({ pipeline: pipeline(["fetch", "summarize", "email"], { maxLength: 6 }) });
 * ```
 */
export function pipeline<const TAction>(actions: readonly TAction[], options: PipelineOptions = {}): Arbitrary<TAction[]> {
  const minLength = options.minLength ?? 0;
  const maxLength = options.maxLength ?? Math.max(10, minLength);
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new ReplayUsageError(`Failed to build pipeline(): "actions" must be a non-empty array of the actions a pipeline may contain.`);
  }
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 0 || maxLength < minLength) {
    throw new ReplayUsageError(
      `Failed to build pipeline(): minLength and maxLength must be whole numbers with 0 <= minLength <= maxLength, got ${String(options.minLength)} and ${String(options.maxLength)}.`,
    );
  }
  return array(constantFrom(...actions), { minLength, maxLength });
}
