import { formatReport, type ReportOptions } from "./report/format-report.js";
import { budgetOverruns, type Budget } from "./limits/budget.js";
import type { FindingKind, ReplayResult, RunStatus } from "./types.js";

/**
 * Options of {@link assertReplay}.
 *
 * @example
 * ```ts
 * assertReplay(result, { allow: ["nondeterministic-source"], status: "completed", report: { color: false } });
 * ```
 */
export interface AssertReplayOptions {
  /** Error findings of these kinds do not fail the assertion (warnings never do). */
  allow?: readonly FindingKind[];
  /** The status(es) the run must end with. Default: any status but "failed". */
  status?: RunStatus | readonly RunStatus[];
  /** How the report in the error message is formatted (colour, timeline...). */
  report?: ReportOptions;
  /** Limits on billed steps, cost and durations (`result.usage`): going over fails the assertion. */
  budget?: Budget;
}

/**
 * Thrown by {@link assertReplay}; its message is the full report, `result` is the run.
 *
 * @example
 * ```ts
 * try {
 *   assertReplay(result);
 * } catch (error) {
 *   if (error instanceof ReplayAssertionError) console.log(error.result.findings.map((f) => f.kind));
 *   throw error;
 * }
 * ```
 */
export class ReplayAssertionError extends Error {
  readonly result: ReplayResult;
  constructor(message: string, result: ReplayResult) {
    super(message);
    this.name = "ReplayAssertionError";
    this.result = result;
  }
}

/** @internal Why a result fails {@link assertReplay}, or undefined when it passes. */
export function replayProblem(result: ReplayResult, options: Pick<AssertReplayOptions, "allow" | "status" | "budget"> = {}): string | undefined {
  const allowed = new Set(options.allow ?? []);
  const problems: string[] = [];
  const wanted = options.status === undefined ? undefined : typeof options.status === "string" ? [options.status] : options.status;
  if (wanted ? !wanted.includes(result.status) : result.status === "failed") {
    const expected = wanted ? wanted.map((s) => JSON.stringify(s)).join(" or ") : `it not to fail (pass { status: "failed" } when that is the point)`;
    const why = result.status === "failed" && result.error ? ` (${result.error.name}: ${result.error.message})` : "";
    problems.push(`the run ended ${JSON.stringify(result.status)}${why}, expected ${expected}`);
  }
  const errors = result.findings.filter((f) => f.severity === "error" && !allowed.has(f.kind));
  if (errors.length > 0) {
    const kinds = [...new Set(errors.map((f) => f.kind))].join(", ");
    problems.push(`${errors.length} error finding${errors.length === 1 ? "" : "s"} (${kinds})`);
  }
  if (options.budget) {
    const over = budgetOverruns(result, options.budget);
    if (over.length > 0) problems.push(`the run went over its budget: ${over.join(", ")}`);
  }
  return problems.length > 0 ? problems.join("; ") : undefined;
}

/**
 * Throws a {@link ReplayAssertionError} whose message is the run's report when the run failed
 * (or did not end with `status`) or has error findings whose kind is not in `allow`. Returns the
 * result otherwise. Works with any test runner: vitest, jest, node:test, bun.
 *
 * @example
 * ```ts
 * import { test } from "node:test";
 * import { assertReplay, replay } from "workflow-replay";
 *
 * test("the order workflow replays cleanly", async () => {
 *   const result = await replay(orderWorkflow, { payload: { orderId: 7 } });
 *   assertReplay(result);                                   // completed, no error findings
 *   assertReplay(result, { allow: ["nondeterminism"] });    // tolerate one kind
 *   assertReplay(timedOut, { status: "failed" });           // a failure that is the point of the test
 * });
 * ```
 */
export function assertReplay<T extends ReplayResult<any>>(result: T, options: AssertReplayOptions = {}): T {
  const problem = replayProblem(result, options);
  if (problem === undefined) return result;
  const next = result.findings.length > 0 ? "Each finding below says where and what to change" : "The timeline below shows where the run went wrong";
  const title = `[workflow-replay] Failed to assert the replay: ${problem}. ${next}.`;
  throw new ReplayAssertionError(formatReport(result, { ...(options.budget ? { usage: true } : {}), ...options.report, title }), result);
}
