import { check, type IAsyncPropertyWithHooks, type Parameters } from "fast-check";

/**
 * Runs a property like `fc.assert`, but throws one message with everything needed to act on a
 * failure: the fast-check seed and path (paste them into the parameters to replay exactly that
 * counterexample), the shrunk counterexample, then the failing run's report.
 *
 * @example
 * ```ts
 * import { assertReplayProperty, pipeline, replayProperty } from "workflow-replay/fast-check";
 *
 * await assertReplayProperty(replayProperty(route, { payload: fc.record({ pipeline: pipeline(["a", "b"]) }) }), { numRuns: 500 });
 * ```
 */
export async function assertReplayProperty<TValues extends unknown[]>(
  property: IAsyncPropertyWithHooks<TValues>,
  parameters: Parameters<TValues> = {},
): Promise<void> {
  const details = await check(property, parameters);
  if (!details.failed) {
    if (details.interrupted || details.numRuns === 0) {
      throw new Error(`[workflow-replay] Failed to run the property: no run completed (${details.numSkips} skipped). Loosen the preconditions or the arbitraries.`);
    }
    return;
  }
  const replayWith = `{ seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)}, endOnFailure: true }`;
  const error = details.errorInstance;
  const inner = error instanceof Error ? error.message : String(error);
  const message =
    `[workflow-replay] Property failed after ${details.numRuns} run${details.numRuns === 1 ? "" : "s"} (shrunk ${details.numShrinks} time${details.numShrinks === 1 ? "" : "s"}).\n` +
    `Replay this counterexample: fc.assert(property, ${replayWith})\n` +
    `${inner}`;
  throw new Error(message, { cause: error });
}
