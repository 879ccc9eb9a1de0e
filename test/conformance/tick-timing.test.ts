import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { comparable, runBoth } from "./both-modes.js";

// How many microtask ticks each step takes to resolve, delivery by delivery, in both drivers
// (decision 1505): the SDK awaits its afterExecution lifecycle dispatch on the last memoized step
// (13 ticks instead of 10) and a dispatchDebug at the start of every parallel group.
describe("microtask timing of memoized steps", () => {
  it("every step resolves after the same number of ticks in both drivers", async () => {
    const logs: string[][] = [];
    const make = () => {
      const log: string[] = [];
      logs.push(log);
      return async (context: WorkflowContext) => {
        const measure = async (name: string, step: () => Promise<unknown>) => {
          let ticks = 0;
          let stop = false;
          const spin = () => {
            if (!stop && ticks < 100) {
              ticks++;
              queueMicrotask(spin);
            }
          };
          queueMicrotask(spin);
          await step();
          stop = true;
          log.push(`${name}:${ticks}`);
        };
        await measure("s1", () => context.run("s1", () => 1));
        await measure("s2", () => context.run("s2", () => 2));
        await measure("p", () => Promise.all([context.run("p1", () => 1), context.run("p2", () => 2)]));
        await measure("s3", () => context.run("s3", () => 3));
        log.push("|");
      };
    };
    await runBoth(make);
    const [mock, real] = logs;
    expect(mock).toEqual(real);
    // Delivery 2 replays s1 as its last memoized step; delivery 3 replays s1 (10) then s2 as the last (13).
    expect(real!.join(" ").startsWith("s1:13 s1:10 s2:13")).toBe(true);
    expect(real!.filter((t) => t.startsWith("p:"))).toEqual(["p:18", "p:14"]);
  });

  it("a plan that depends on that timing fails the same way in both drivers (it completed in replay() before)", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("one", () => 1);
      let ticks = 0;
      const count = () => {
        if (ticks < 12) {
          ticks++;
          queueMicrotask(count);
        }
      };
      queueMicrotask(count);
      await context.run("two", () => 2);
      // 11 or more ticks passed only when "two" was the last memoized step of the delivery.
      return await context.run(ticks > 10 ? "late" : "early", () => ticks);
    });
    expect(real.status).toBe("failed");
    expect(real.error?.message).toMatch(/Incompatible step name. Expected 'early', got 'late'/);
    expect(comparable(mock)).toEqual(comparable(real));
  });
});
