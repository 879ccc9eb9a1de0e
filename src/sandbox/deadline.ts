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
