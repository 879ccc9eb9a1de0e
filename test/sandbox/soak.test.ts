// A bounded soak: replays with a fetch in a step, and property runs, keep the heap flat (after gc).
// It runs in `npm run test:full` (WORKFLOW_REPLAY_FULL=1, what CI runs): the 2,000 replays and
// 5,000 property runs. Fewer runs would measure noise, so the fast suite skips it. The bound is on
// bytes, not time: nothing here depends on how fast the machine is.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { replayProperty } from "workflow-replay/fast-check";

const full = process.env.WORKFLOW_REPLAY_FULL === "1";
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

const handlers = [http.get("https://soak.example.test/item", () => HttpResponse.json({ ok: 1 }))];
const route = async (context: any) => {
  const a = await context.run("fetch", async () => ((await (await fetch("https://soak.example.test/item")).json()) as { ok: number }).ok);
  return await context.run("add", () => a + 1);
};

/** Bytes the heap grew per call of `once` over `runs` calls, after `warmUp` calls (first-use caches, lazy loads). */
async function growthPerRun(runs: number, once: () => Promise<unknown>, warmUp = 300): Promise<number> {
  for (let i = 0; i < warmUp; i++) await once();
  const before = await heapAfterGc();
  for (let i = 0; i < runs; i++) await once();
  const after = await heapAfterGc();
  return (after - before) / runs;
}

describe.skipIf(!full)("memory stays flat", () => {
  it("over 2,000 replays whose step fetches", { timeout: 300_000 }, async () => {
    const perRun = await growthPerRun(2_000, async () => {
      const result = await replay(route, { handlers });
      if (result.status !== "completed") throw new Error(result.error?.message);
    });
    console.log(`[soak] ${perRun.toFixed(0)} bytes per replay`);
    expect(perRun).toBeLessThan(1024);
  });

  it("over 5,000 property runs", { timeout: 300_000 }, async () => {
    const property = replayProperty(route, { payload: fc.record({ id: fc.nat() }), handlers });
    const runs = 5_000;
    const perRun = await growthPerRun(1, async () => fc.assert(property, { numRuns: runs }), 1);
    // one fc.assert of `runs` runs measured as a whole: the growth is spread over its runs
    console.log(`[soak] ${(perRun / runs).toFixed(0)} bytes per property run`);
    expect(perRun / runs).toBeLessThan(1024);
  });
});
