// Run counts of the passing properties: today's counts in `npm run test:full` (CI), fewer in the fast
// `npm test`. A property that must FIND a bug keeps its count in both: it states how soon it is found.
export const fullSuite = process.env.WORKFLOW_REPLAY_FULL === "1";

/** `full` runs in test:full, `fast` in npm test. */
export function runs(full: number, fast: number): number {
  return fullSuite ? full : fast;
}
