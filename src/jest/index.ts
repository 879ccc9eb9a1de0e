// workflow-replay/jest: the replay matchers for jest's expect (jest 30). Imports nothing from jest at runtime.
import type {} from "expect";
import type { ReplayMatchers } from "../vitest/replay-matchers.js";

export { matchers, runStepNames } from "../vitest/matchers.js";
export type { MatcherContext, MatcherResult } from "../vitest/matchers.js";
export type { ReplayMatchers } from "../vitest/replay-matchers.js";

/**
 * Importing `workflow-replay/jest` adds the replay matchers' types to jest's `expect` (the `expect`
 * package behind `@jest/globals`); `expect.extend(matchers)` adds them at run time.
 *
 * @example
 * ```ts
 * // jest.setup.ts (setupFilesAfterEnv)
 * import { expect } from "@jest/globals";
 * import { matchers } from "workflow-replay/jest";
 * expect.extend(matchers);
 *
 * // a test
 * expect(await replay(route)).toHaveStatus("completed");
 * ```
 */
declare module "expect" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends ReplayMatchers<R> {}
}
