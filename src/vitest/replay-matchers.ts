import type { Budget } from "../limits/budget.js";
import type { Finding, FindingKind, RunStatus } from "../types.js";

/**
 * The replay matchers' signatures; merged into vitest's `Assertion` when `workflow-replay/vitest` is imported, into jest's
 * `expect` matchers when `workflow-replay/jest` is.
 *
 * @example
 * ```ts
 * import { expect } from "vitest";
 * import { matchers } from "workflow-replay/vitest";
 * expect.extend(matchers);
 *
 * expect(await replay(route)).toHaveStatus("completed");
 * expect(result).not.toHaveFinding("nondeterminism");
 * expect(result).toHaveFinding("side-effect-outside-step", { stepName: "charge" });
 * ```
 */
export interface ReplayMatchers<R = unknown> {
  /** The run completed and its output (after the JSON round trip) deep-equals `value`. */
  toCompleteWith(value: unknown): R;
  /** The run ended with `status`. */
  toHaveStatus(status: RunStatus): R;
  /** The names of the run's result steps, in history order (no Initial step, no parallel plan steps). */
  toHaveRunSteps(names: readonly string[]): R;
  /** The run has no findings at all (warnings included), apart from the `allow`ed kinds. */
  toHaveNoFindings(options?: { allow?: readonly FindingKind[] }): R;
  /** The run has a finding of `kind` whose fields match `partial` (asymmetric matchers allowed). */
  toHaveFinding(kind: FindingKind, partial?: Partial<Finding>): R;
  /** The run stayed within `budget`: billed steps, cost, the longest delivery, the run's virtual duration. */
  toStayWithinBudget(budget: Budget): R;
}
