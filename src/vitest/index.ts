// workflow-replay/vitest: expect matchers for replay results (vitest 4 and 5). Imports nothing from vitest at runtime.
import type {} from "vitest";
import type { ReplayMatchers } from "./replay-matchers.js";

export { matchers, runStepNames } from "./matchers.js";
export type { MatcherContext, MatcherResult } from "./matchers.js";
export type { ReplayMatchers } from "./replay-matchers.js";
export type { Budget } from "../limits/budget.js";

declare module "vitest" {
  // No type parameters: vitest 4 declares `Matchers<T = any>`, vitest 5 `Matchers<R extends void | Promise<void>, T>`,
  // and a merged declaration must repeat the parameters' names; one without any merges into both
  // (every parameter has a default). The matchers return `any`, as vitest 4's default did (decision 1401).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers extends ReplayMatchers<any> {}
}
