/**
 * The switch that forces the exact path. Internal: not exported from the package barrel.
 *
 * By default a lone memoized `context.run` that matches its recorded step is answered by a chain of
 * promise reactions with the SDK's microtask ticks ({@link Executor.memoizedRun}, `fast-visit.ts`), and a recorded object result
 * is parsed once into a template that every visit copies (`parse-cache.ts`). With `forced` set, every
 * step goes through the SDK-shaped frames and every visit runs `JSON.parse`, as before either existed.
 * The differential test (`src/context/fast-path.test.ts`) runs generated programs both ways and
 * requires identical results and identical tick logs.
 *
 * @example
 * exactPath.forced = true; // internal tests only
 * // fastVisits counts the visits the fast path answered, joinedVisits those another step joined
 * // (the differential test checks that neither is vacuous)
 */
export const exactPath = { forced: false, fastVisits: 0, joinedVisits: 0 };
