/**
 * The defaults of the options `replay()`, `replayHandler()`, `replayHistory()` and the fast-check
 * subpath share. They live here only and are applied once, by `resolveRuntimeOptions()`
 * (src/runtime/options.ts); a module that needs one imports it (this file imports nothing).
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
  /** The workflow's URL (what `context.url` reads). */
  url: "https://workflow-replay.test/api/workflow",
  /** Virtual time the run starts at, ms since the epoch (2025-01-01T00:00:00Z). */
  startTime: Date.UTC(2025, 0, 1),
} as const;
