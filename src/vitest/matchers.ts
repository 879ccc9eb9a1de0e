import { budgetOverruns, type Budget } from "../limits/budget.js";
import { formatReport } from "../report/format-report.js";
import { stringify } from "../report/values.js";
import type { Finding, FindingKind, ReplayResult, RunStatus } from "../types.js";

/**
 * The part of vitest's matcher `this` the matchers use (structural, so no runtime import of vitest).
 *
 * @example
 * ```ts
 * // Call a matcher outside expect (e.g. from another runner's custom assertion):
 * const ctx: MatcherContext = { isNot: false, equals: (a, b) => JSON.stringify(a) === JSON.stringify(b) };
 * const { pass, message } = matchers.toHaveStatus.call(ctx, result, "completed");
 * ```
 */
export interface MatcherContext {
  /** jest leaves it undefined outside `.not`. */
  isNot?: boolean;
  equals(a: unknown, b: unknown): boolean;
  utils?: { matcherHint?(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string };
}

/**
 * What a vitest matcher returns.
 *
 * @example
 * ```ts
 * const outcome: MatcherResult = matchers.toHaveNoFindings.call(ctx, result);
 * if (!outcome.pass) console.log(outcome.message());
 * ```
 */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

function isReplayResult(value: unknown): value is ReplayResult {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReplayResult).status === "string" &&
    Array.isArray((value as ReplayResult).findings) &&
    Array.isArray((value as ReplayResult).deliveries)
  );
}

function requireResult(matcher: string, received: unknown): ReplayResult {
  if (isReplayResult(received)) return received;
  const got = received === null ? "null" : Array.isArray(received) ? "an array" : typeof received;
  throw new TypeError(
    `[workflow-replay] Failed to run ${matcher}: expect() received ${got}, not a replay result. Pass what replay() resolves to: expect(await replay(route, options)).${matcher}(…).`,
  );
}

function hint(ctx: MatcherContext, name: string, expected: string): string {
  return ctx.utils?.matcherHint?.(`.${name}`, "result", expected, { isNot: ctx.isNot }) ?? `expect(result)${ctx.isNot ? ".not" : ""}.${name}(${expected})`;
}

/** The failure message: what was expected, in one or two lines, then the run's report. */
function failure(ctx: MatcherContext, name: string, expectedArg: string, summary: string, result: ReplayResult, usage?: boolean): () => string {
  return () => formatReport(result, { title: `${hint(ctx, name, expectedArg)}\n\n${summary}`, ...(usage ? { usage } : {}) });
}

/**
 * Step names of the run's result steps, in history order (no Initial step, no parallel plan steps):
 * what `toHaveRunSteps` compares.
 *
 * @example
 * ```ts
 * import { runStepNames } from "workflow-replay/vitest";
 * runStepNames(await replay(pipeline, { payload })); // ["fetch-0", "summarize-1", "email-2"]
 * ```
 */
export function runStepNames(result: ReplayResult): string[] {
  return result.steps.filter((s) => s.stepType !== "Initial" && !(s.stepId === 0 && s.targetStep !== undefined)).map((s) => s.stepName);
}

function matchesPartial(ctx: MatcherContext, finding: Finding, partial: Partial<Finding> | undefined): boolean {
  if (!partial) return true;
  return Object.entries(partial).every(([key, value]) => ctx.equals(finding[key as keyof Finding], value));
}

function toCompleteWith(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
  const result = requireResult("toCompleteWith", received);
  const completed = result.status === "completed";
  const pass = completed && this.equals(result.output, expected);
  const summary = this.isNot
    ? `Expected the run not to complete with ${stringify(expected)}, but it did.`
    : completed
      ? `Expected output: ${stringify(expected)}\nReceived output: ${stringify(result.output)}`
      : `Expected the run to complete with ${stringify(expected)}, but it ended ${JSON.stringify(result.status)}.`;
  return { pass, message: failure(this, "toCompleteWith", "expected", summary, result), actual: result.output, expected };
}

function toHaveStatus(this: MatcherContext, received: unknown, status: RunStatus): MatcherResult {
  const result = requireResult("toHaveStatus", received);
  const pass = result.status === status;
  const summary = this.isNot
    ? `Expected the run not to end ${JSON.stringify(status)}, but it did.`
    : `Expected status: ${JSON.stringify(status)}\nReceived status: ${JSON.stringify(result.status)}`;
  return { pass, message: failure(this, "toHaveStatus", JSON.stringify(status), summary, result) };
}

function toHaveRunSteps(this: MatcherContext, received: unknown, names: readonly string[]): MatcherResult {
  const result = requireResult("toHaveRunSteps", received);
  const actual = runStepNames(result);
  const pass = this.equals(actual, [...names]);
  const summary = this.isNot
    ? `Expected the run not to record exactly these steps: ${stringify(names)}.`
    : `Expected steps: ${stringify(names)}\nReceived steps: ${stringify(actual)}`;
  return { pass, message: failure(this, "toHaveRunSteps", "names", summary, result), actual, expected: [...names] };
}

function toHaveNoFindings(this: MatcherContext, received: unknown, options: { allow?: readonly FindingKind[] } = {}): MatcherResult {
  const result = requireResult("toHaveNoFindings", received);
  const allowed = new Set(options.allow ?? []);
  const left = result.findings.filter((f) => !allowed.has(f.kind));
  const pass = left.length === 0;
  const summary = this.isNot
    ? `Expected the run to have findings, but it has none${allowed.size ? " outside the allowed kinds" : ""}.`
    : `Expected no findings, received ${left.length}: ${[...new Set(left.map((f) => f.kind))].join(", ")}.`;
  return { pass, message: failure(this, "toHaveNoFindings", "", summary, result) };
}

function toHaveFinding(this: MatcherContext, received: unknown, kind: FindingKind, partial?: Partial<Finding>): MatcherResult {
  const result = requireResult("toHaveFinding", received);
  const pass = result.findings.some((f) => f.kind === kind && matchesPartial(this, f, partial));
  const what = partial ? `a ${JSON.stringify(kind)} finding matching ${stringify(partial)}` : `a ${JSON.stringify(kind)} finding`;
  const kinds = result.findings.map((f) => f.kind);
  const summary = this.isNot
    ? `Expected no ${what.slice(2)}, but the run has one.`
    : `Expected ${what}; the run has ${kinds.length === 0 ? "no findings" : `these: ${[...new Set(kinds)].join(", ")}`}.`;
  return { pass, message: failure(this, "toHaveFinding", JSON.stringify(kind) + (partial ? ", partial" : ""), summary, result) };
}

function toStayWithinBudget(this: MatcherContext, received: unknown, budget: Budget): MatcherResult {
  const result = requireResult("toStayWithinBudget", received);
  const over = budgetOverruns(result, budget);
  const pass = over.length === 0;
  const summary = this.isNot
    ? `Expected the run to go over ${stringify(budget)}, but it stayed within it.`
    : `Expected the run to stay within ${stringify(budget)}; it used ${over.join(", ")}.`;
  return { pass, message: failure(this, "toStayWithinBudget", "budget", summary, result, true), actual: result.usage, expected: budget };
}

/**
 * The replay matchers, for `expect.extend`. Importing `workflow-replay/vitest` also adds their
 * types to vitest's `Assertion`.
 *
 * @example
 * ```ts
 * // vitest.setup.ts (or the top of a test file)
 * import { expect } from "vitest";
 * import { matchers } from "workflow-replay/vitest";
 * expect.extend(matchers);
 *
 * // a test
 * const result = await replay(route, { payload: { orderId: 7 } });
 * expect(result).toCompleteWith({ charged: true });
 * expect(result).toHaveRunSteps(["reserve", "charge", "email"]);
 * expect(result).toHaveNoFindings();
 * ```
 */
export const matchers = {
  toCompleteWith,
  toHaveStatus,
  toHaveRunSteps,
  toHaveNoFindings,
  toHaveFinding,
  toStayWithinBudget,
};
