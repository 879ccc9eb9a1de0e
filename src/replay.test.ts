import { describe, expect, it } from "vitest";
import { replay } from "./replay.js";

describe("replay", () => {
  it("runs three sequential steps in four invocations", async () => {
    const result = await replay(async (context) => {
      const a = await context.run("one", () => 1);
      const b = await context.run("two", () => a + 1);
      return await context.run("three", () => b + 1);
    });
    expect(result.status).toBe("completed");
    expect(result.output).toBe(3);
    expect(result.invocations).toBe(4);
    expect(result.steps.map((s) => s.stepName)).toEqual(["init", "one", "two", "three"]);
  });
});
