// Requirement 10: after every replay — completed, failed, thrown, timed out — the process's globals
// are the originals, and concurrent replay() calls cannot see each other's patches.
import { describe, expect, it } from "vitest";
import { replay } from "../src/replay.js";
import { originals } from "../src/sandbox/globals.js";

function expectOriginalGlobals(): void {
  expect(Math.random).toBe(originals.random);
  expect(globalThis.Date).toBe(originals.Date);
  expect(Date.now).toBe(originals.dateNow);
  expect(globalThis.crypto).toBe(originals.crypto);
  expect(crypto.randomUUID).toBe(originals.randomUUID);
  expect(crypto.getRandomValues).toBe(originals.getRandomValues);
  expect(globalThis.performance).toBe(originals.performance);
  expect(performance.now).toBe(originals.performanceNow);
  expect(globalThis.fetch).toBe(originals.fetch);
  // and they behave like the originals again: real time, real randomness
  expect(Math.abs(Date.now() - originals.dateNow.call(Date))).toBeLessThan(1_000);
  expect(new Date().getFullYear()).toBeGreaterThanOrEqual(2025);
}

describe("globals are always restored", () => {
  it("after a completed replay", async () => {
    const result = await replay(async (context) => {
      await context.run("x", () => Math.random() + Date.now() + performance.now() + crypto.randomUUID().length);
    });
    expect(result.status).toBe("completed");
    expectOriginalGlobals();
  });

  it("after a failed replay", async () => {
    const result = await replay(
      async (context) => {
        await context.run("boom", () => {
          throw new Error("always fails");
        });
      },
      { retries: 1 },
    );
    expect(result.status).toBe("failed");
    expectOriginalGlobals();
  });

  it("after a replay that throws for misuse", async () => {
    await expect(replay(async () => {}, { seed: Number.NaN })).rejects.toThrow(/"seed" must be a whole number or a string/);
    await expect(replay(async () => {}, { payload: 1n as never })).rejects.toThrow(/Failed to serialize the payload/);
    expectOriginalGlobals();
  });

  it("after a replay whose route throws synchronously and whose failureFunction throws", async () => {
    const result = await replay(
      (() => {
        throw new TypeError("not even async");
      }) as never,
      {
        retries: 0,
        failureFunction: () => {
          throw new Error("the failure function fails too");
        },
      },
    );
    expect(result.status).toBe("failed");
    expectOriginalGlobals();
  });

  it("after a replay that timed out on a delivery that never settles", async () => {
    const result = await replay(
      async (context) => {
        await context.run("first", () => 1);
        await new Promise(() => {}); // never resolves, outside any step
      },
      { deliveryTimeout: 50, retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/did not settle within 50 ms/);
    expectOriginalGlobals();
  });
});

describe("concurrent replays are isolated", () => {
  const drawing = async (context: Parameters<Parameters<typeof replay>[0]>[0]) => {
    const a = await context.run("a", () => Math.random());
    await context.sleep("pause", 10);
    const b = await context.run("b", () => [Date.now(), crypto.randomUUID()]);
    return { a, b };
  };
  const buggy = async (context: Parameters<Parameters<typeof replay>[0]>[0]) => {
    const coin = Math.random();
    await context.run(coin < 0.5 ? "heads" : "tails", () => coin);
    await context.run("done", () => true);
  };

  it("gives each of several concurrent replays the result it has alone, and its own findings", async () => {
    const alone = [await replay(drawing, { seed: 1 }), await replay(buggy, { seed: 2 }), await replay(drawing, { seed: 3 })];
    const together = await Promise.all([replay(drawing, { seed: 1 }), replay(buggy, { seed: 2 }), replay(drawing, { seed: 3 })]);
    expect(together).toEqual(alone);
    expect(together[0]!.findings).toEqual([]);
    expect(together[2]!.findings).toEqual([]);
    expect(together[1]!.findings.map((f) => f.kind).sort()).toEqual(["nondeterminism", "nondeterministic-source"]);
    expectOriginalGlobals();
  });

  it("runs two concurrent replays of one workflow and seed to identical results (each sees only its own patches)", async () => {
    const first = replay(drawing, { seed: 5 });
    const second = replay(drawing, { seed: 5 });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe("completed");
    expect(b.output).toEqual(a.output);
    expect(b.steps).toEqual(a.steps);
    expectOriginalGlobals();
  });
});
