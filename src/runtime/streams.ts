import { nanoid, Prng, type Seed } from "../util/prng.js";

/**
 * The seeded random streams of one run, all derived from the seed (decision 1501): the user's
 * stream (what the patched `Math.random`, `crypto` read), the harness's own (message ids, jitter,
 * the SDK's draws), the signed tokens of `replayHandler()`, and the generated run id.
 */
export interface SeededStreams {
  /** What user code draws from (Math.random, crypto.randomUUID, crypto.getRandomValues). */
  user: Prng;
  /** What the QStash model and the endpoints draw from. */
  harness: Prng;
  /** The delivery tokens replayHandler() signs. */
  token: Prng;
}

/**
 * The streams of a run with this seed.
 *
 * @example
 * ```ts
 * const { user, harness } = seededStreams(1);
 * user.next(); // the first Math.random() a route with seed 1 reads
 * ```
 */
export function seededStreams(seed: Seed): SeededStreams {
  return { user: new Prng(seed), harness: new Prng(seed, 0x5bd1e995), token: new Prng(seed, 0x2545f491) };
}

/**
 * The run id a run with this seed gets when no `workflowRunId` is given.
 *
 * @example
 * ```ts
 * generatedRunId(1); // "wfr_" and 21 nanoid characters, the same for every run with seed 1
 * ```
 */
export function generatedRunId(seed: Seed): string {
  return `wfr_${nanoid(new Prng(seed, 0x1234567), 21)}`;
}
