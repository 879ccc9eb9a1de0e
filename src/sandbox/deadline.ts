import { originals } from "./globals.js";

/**
 * Races `work` against a deadline on the harness's own timer (the one captured at module load, so a
 * user's fake timers cannot stop it). When `ms` pass first, the result is `onTimeout()`'s value, or
 * its exception as the rejection; either way the timer is cleared when the race ends.
 *
 * @example
 * const outcome = await withDeadline(run(), 5_000, () => "stalled" as const);
 */
export function withDeadline<T, U>(work: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<U>((resolve, reject) => {
    timer = originals.setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => originals.clearTimeout(timer));
}

/**
 * One deadline timer for every phase of one delivery (the auth dry run, then the route): started
 * once, raced by each phase, cleared once. A delivery used to arm and clear a timer per phase.
 * `describe` says, when the timer fires, which phase hung (it is read then, so it names the phase
 * running at that moment).
 *
 * @example
 * const deadline = new Deadline(5_000, () => new Error("hung"));
 * try { await deadline.race(dryRun()); await deadline.race(route()); } finally { deadline.clear(); }
 */
export class Deadline {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly expired: Promise<never>;

  constructor(ms: number, onTimeout: () => Error) {
    let fire!: (error: Error) => void;
    this.expired = new Promise<never>((_, reject) => (fire = reject));
    // never raced after the last phase: a late expiry must not surface as an unhandled rejection
    this.expired.catch(() => {});
    this.timer = originals.setTimeout(() => fire(onTimeout()), ms);
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  clear(): void {
    originals.clearTimeout(this.timer);
  }
}
