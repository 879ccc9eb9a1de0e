import type { Step } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";
import { replayHistory } from "./replay-history.js";

describe("the history walk", () => {
  it("shows today's code the recorded steps in context.steps, as the redelivery would", async () => {
    const route = async (context: { steps: Step[]; run: <T>(name: string, fn: () => T) => Promise<T> }) => {
      seen.push(context.steps.map((s) => `${s.stepId}:${s.stepType}:${s.stepName}`));
      await context.run("a", () => 1);
      await context.run("b", () => 2);
    };
    let seen: string[][] = [];
    const recorded = await replay(route as never);
    seen = [];
    const result = await replayHistory(route as never, recorded.history);
    expect(result.compatibility.compatible).toBe(true);
    // the first visit is the walk's: the whole recorded history, Initial first
    expect(seen[0]).toEqual(recorded.history.steps.map((s) => `${s.stepId}:${s.stepType}:${s.stepName}`));
    expect(seen[0]![0]).toMatch(/^0:Initial:/);
  });
});
