import { it } from "@jest/globals";
import fc from "fast-check";
import { replayProperty } from "workflow-replay/fast-check";
import { pipeline } from "./workflow";

it("every pipeline completes without findings", async () => {
  await fc.assert(replayProperty(pipeline, { payload: fc.record({ stages: fc.integer({ min: 1, max: 5 }) }) }), { numRuns: 25 });
}, 30_000);
