let tail: Promise<void> = Promise.resolve();

/**
 * Runs `fn` when no other replay runs: replays patch process globals, so two may never overlap.
 * Re-entrant calls (a replay started from inside a replay) would deadlock, so the engine never nests them.
 */
export async function withReplayLock<T>(fn: () => Promise<T>): Promise<T> {
  const previous = tail;
  let release!: () => void;
  tail = new Promise<void>((resolve) => (release = resolve));
  await previous;
  try {
    return await fn();
  } finally {
    release();
  }
}
