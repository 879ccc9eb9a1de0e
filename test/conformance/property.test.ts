import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { comparable, runBoth } from "./both-modes.js";
import { eventsOf, programArbitrary, routeOf, targetHandlers } from "./programs.js";

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 500);

describe("conformance property", () => {
  // The SDK logs a warning or error for every retried delivery; keep the output readable.
  beforeAll(() => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterAll(() => vi.restoreAllMocks());

  it(`random workflow programs agree in both modes (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(programArbitrary, async (program) => {
        const { mock, real } = await runBoth(() => routeOf(program) as never, {
          payload: program.payload,
          events: eventsOf(program),
          handlers: targetHandlers,
          seed: program.seed,
          headers: program.headers,
          faults: program.faults,
        });
        expect(comparable(real)).toEqual(comparable(mock));
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
