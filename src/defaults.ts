/**
 * The defaults of the options `replay()`, `replayHandler()`, `replayHistory()` and the fast-check
 * subpath share. They live here only; a module that needs one imports it (this file imports nothing).
 */
export const OPTION_DEFAULTS = {
  /** Everything random in the harness derives from the seed. */
  seed: 1,
  /** Retries per delivery, like QStash's default. */
  retries: 3,
  /** Real-time bound on one delivery, in ms. */
  deliveryTimeout: 5_000,
  /** Deliveries before a run is failed as a runaway. */
  maxInvocations: 5_000,
} as const;
