// Fake timers installed BEFORE the package is imported (a setup file's vi.useFakeTimers()): the
// harness's own deadlines still fire, and performance.now() is virtual whenever Date is.
import { afterAll, describe, expect, it, vi } from "vitest";

vi.useFakeTimers();
const { replay } = await import("workflow-replay");

describe("under fake timers installed before the import", () => {
  afterAll(() => vi.useRealTimers());

  it("still ends a delivery that never settles at its deadline", async () => {
    const result = await replay(
      async (context) => {
        await context.run("hangs", () => new Promise(() => {}));
      },
      { deliveryTimeout: 50, retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/did not settle within 50 ms/);
  });

  it("virtualizes the fake performance.now() along with Date", async () => {
    const result = await replay(async (context) => {
      await context.sleep("wait", 10);
      return await context.run("read", () => ({ date: Date.now(), perf: performance.now() }));
    }, { startTime: 1_000_000 });
    const { date, perf } = result.output as { date: number; perf: number };
    // both read the virtual clock: the same instant, measured from the start time
    expect(date - 1_000_000).toBeCloseTo(perf, 6);
    expect(perf).toBeGreaterThanOrEqual(10_000);
  });
});
