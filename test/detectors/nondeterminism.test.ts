import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { CORPUS_FILE, caseOf, findingsOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "nondeterminism";

describe("nondeterminism", () => {
  it("reports a branch on Math.random() outside a step, with both step names", async () => {
    const finding = await onlyFinding(kind, "branches on Math.random()");
    expect(finding).toMatchObject({ severity: "error", stepId: 1, location: { file: CORPUS_FILE } });
    expect(finding.expected).toMatchObject({ position: 1, type: "Run" });
    expect(finding.received).toMatchObject({ position: 1, type: "Run" });
    expect(sourceAt(finding.location)).toMatch(/^run\("tails"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The step plan changed between deliveries at position 1: step name "heads" became "tails" (delivery 1 at corpus.ts:<line>, then delivery 2 at corpus.ts:<line>). QStash matches steps by position, so the SDK fails this delivery with "Incompatible step name" and the run cannot go on. Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("reports a step named with Date.now()", async () => {
    const finding = await onlyFinding(kind, "names a step with Date.now()");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The step plan changed between deliveries at position 1: step name "report-1735689600100" became "report-1735689600200" (delivery 1 at corpus.ts:<line>, then delivery 2 at corpus.ts:<line>). QStash matches steps by position, so the SDK fails this delivery with "Incompatible step name" and the run cannot go on. Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("reports a Promise.all fan-out whose width is random", async () => {
    const finding = await onlyFinding(kind, "sizes a Promise.all");
    expect(finding.expected).toMatchObject({ position: 1 });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The parallel group at position 1 (corpus.ts:<line>) had 1 step in delivery 1 and 2 in delivery 2: the SDK fails the delivery with "Incompatible number of parallel steps" (or, in a discarded delivery, silently mixes up results). Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("reports a module-level counter that changes step names on every delivery", async () => {
    const finding = await onlyFinding(kind, "keeps a module-level counter");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The step plan changed between deliveries at position 1: step name "batch-2" became "batch-4" (delivery 1 at corpus.ts:<line>, then delivery 2 at corpus.ts:<line>). QStash matches steps by position, so the SDK fails this delivery with "Incompatible step name" and the run cannot go on. Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("reports a sleep duration that differs between deliveries (an input the SDK never compares)", async () => {
    const finding = await onlyFinding(kind, "sleeps for a random duration");
    expect(finding).toMatchObject({ stepName: "backoff", stepId: 2 });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The step plan changed between deliveries at position 2: sleepFor of context.sleep("backoff") changed from 12 to 20 (delivery 2 at corpus.ts:<line>, then delivery 3 at corpus.ts:<line>). The SDK compares only names and types, so it keeps the recorded result and ignores the new value: production runs on as it did the first time, and the drift is harmless today (an error only if this value was meant to reach the step). Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("reports a context.call URL that differs between deliveries", async () => {
    const finding = await onlyFinding(kind, "calls a URL built with crypto.randomUUID()");
    expect(finding.message).toMatch(/callUrl of context\.call\("notify"\) changed from/);
  });

  it("catches a clock-dependent branch only the perturbed replay can see", async () => {
    const bug = caseOf(kind, "branches on the hour");
    const withoutPerturbation = await runCase(bug, { perturb: false });
    expect(findingsOf(withoutPerturbation, kind)).toEqual([]);
    const finding = await onlyFinding(kind, "branches on the hour");
    expect(finding.expected).toEqual({ position: 2, name: "morning-report", type: "Run", inputs: {} });
    expect(finding.received).toEqual({ position: 2, name: "evening-report", type: "Run", inputs: {} });
    expect(finding.location).toMatchObject({ file: CORPUS_FILE });
    expect(sourceAt(finding.location)).toMatch(/^run\(hour < 12/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The step plan changes when the run is replayed under another seed and clock (Math.random() → 0, clock +1d 12h 13m) at position 2: step name "morning-report" became "evening-report" at corpus.ts:<line>. Something outside a step — Math.random(), the clock, crypto, module-level state — decides it, so a real delivery can take another path than the recorded one and fail with "Incompatible step name". Make the step plan depend only on the payload and on step results: move Math.random(), Date.now(), new Date(), crypto.randomUUID() and module-level state that decide step names, order, parallel width or inputs into a step (context.run) and use its result."`);
  });

  it("catches randomness outside steps on the first run, whatever the seed", async () => {
    const titles = ["branches on Math.random()", "sizes a Promise.all", "sleeps for a random duration"];
    for (const title of titles) {
      for (let seed = 1; seed <= 20; seed++) {
        const result = await runCase(caseOf(kind, title), { seed });
        expect(findingsOf(result, kind), `${title} with seed ${seed}`).toHaveLength(1);
      }
    }
  });

  it("reports one finding per run, however many deliveries diverge", async () => {
    const result = await runCase(caseOf(kind, "keeps a module-level counter"), { retries: 3 });
    expect(result.status).toBe("failed");
    expect(findingsOf(result, kind)).toHaveLength(1);
  });

  it("can be turned off or downgraded with checks", async () => {
    const bug = caseOf(kind, "branches on Math.random()");
    expect(findingsOf(await runCase(bug, { checks: { nondeterminism: "off" } }), kind)).toEqual([]);
    const downgraded = findingsOf(await runCase(bug, { checks: { nondeterminism: "warning" } }), kind);
    expect(downgraded.map((f) => f.severity)).toEqual(["warning"]);
  });

  it("stays quiet for a workflow that only reads its payload and step results", async () => {
    const result = await replay(async (context) => {
      const { n } = context.requestPayload as { n: number };
      const parts = await Promise.all(Array.from({ length: n }, (_, i) => context.run(`part-${i}`, () => i)));
      await context.sleep("pause", parts.length);
      await context.call("post", { url: "https://api.test/notify", method: "POST", body: JSON.stringify(parts) });
    }, { payload: { n: 3 }, handlers: (caseOf(kind, "calls a URL").options!.handlers)! });
    expect(result.status).toBe("completed");
    expect(result.findings).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind);
});
