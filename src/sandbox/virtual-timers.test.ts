import type { WorkflowContext } from "@upstash/workflow";
import { delay, http, HttpResponse } from "msw";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { replay } from "../replay.js";

const stepDelivery = (result: Awaited<ReturnType<typeof replay>>, name: string) =>
  result.deliveries.find((d) => d.submitted.some((s) => s.stepName === name && s.stepId > 0))!;

describe("virtual time inside steps", () => {
  afterEach(() => vi.useRealTimers());

  it("advances Date.now() inside a step by the time its timers wait, and reports the delivery's duration", async () => {
    const result = await replay(async (context) => {
      return await context.run("wait", async () => {
        const before = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 90_000));
        return Date.now() - before;
      });
    });
    expect(result.output).toBe(90_000);
    expect(stepDelivery(result, "wait").durationMs).toBe(90_000);
  });

  it("runs setInterval until it is cleared, and never fires a cleared timeout", async () => {
    const result = await replay(async (context) => {
      return await context.run("poll", async () => {
        let ticks = 0;
        let cancelledFired = false;
        const cancelled = setTimeout(() => (cancelledFired = true), 1_000);
        clearTimeout(cancelled);
        await new Promise<void>((resolve) => {
          const id = setInterval(() => {
            ticks += 1;
            if (ticks === 5) {
              clearInterval(id);
              resolve();
            }
          }, 2_000);
        });
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        return { ticks, cancelledFired };
      });
    });
    expect(result.output).toEqual({ ticks: 5, cancelledFired: false });
    expect(stepDelivery(result, "poll").durationMs).toBe(15_000);
  });

  it("covers node:timers/promises and AbortSignal.timeout", async () => {
    const result = await replay(
      async (context) => {
        return await context.run("fetch with a timeout", async () => {
          await sleep(3_000);
          try {
            await fetch("https://slow.example.com/", { signal: AbortSignal.timeout(10_000) });
            return "answered";
          } catch (error) {
            return (error as Error).name;
          }
        });
      },
      { handlers: [http.get("https://slow.example.com/", async () => (await delay("infinite"), HttpResponse.text("late")))] },
    );
    expect(result.output).toBe("TimeoutError");
    expect(stepDelivery(result, "fetch with a timeout").durationMs).toBe(13_000);
  });

  it("runs the steps of a parallel group side by side: the run takes one minute, not two", async () => {
    const minute = () => new Promise<void>((resolve) => setTimeout(resolve, 60_000));
    const result = await replay(async (context: WorkflowContext) => {
      const [a, b] = await Promise.all([context.run("a", async () => (await minute(), 1)), context.run("b", async () => (await minute(), 2))]);
      return a + b;
    });
    expect(result.output).toBe(3);
    expect(result.usage.computeMs).toBe(120_000);
    expect(result.usage.longestDeliveryMs).toBe(60_000);
    expect(result.endedAt - result.deliveries[0]!.at).toBeLessThan(61_000);
  });

  it("leaves the timers it found in place: real outside a replay, a user's fake timers restored after one", async () => {
    const real = globalThis.setTimeout;
    await replay(async (context) => context.run("one", () => 1));
    expect(globalThis.setTimeout).toBe(real);
    vi.useFakeTimers();
    const fake = globalThis.setTimeout;
    const result = await replay(async (context) => context.run("wait", async () => (await new Promise((r) => setTimeout(r, 1_000)), "done")));
    expect(result.output).toBe("done");
    expect(globalThis.setTimeout).toBe(fake);
  });

  it("leaves a run with no timers exactly as before: every delivery takes 0 ms", async () => {
    const result = await replay(async (context) => {
      await context.run("one", () => 1);
      await context.sleep("nap", "1h");
      return await context.run("two", () => 2);
    });
    expect(result.deliveries.map((d) => d.durationMs)).toEqual([0, 0, 0, 0]);
    expect(result.deliveries.map((d) => d.at - result.deliveries[0]!.at)).toEqual([0, 100, 3_600_200, 3_600_300]);
  });
});
