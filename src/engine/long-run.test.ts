import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";

describe("a 1,000-step run (Upstash's maximum)", () => {
  it("replays to completion in 1,001 invocations", async () => {
    const result = await replay(async (context) => {
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum = await context.run(`step-${i}`, () => sum + i);
      return sum;
    });
    expect(result.status).toBe("completed");
    expect(result.output).toBe(499_500);
    expect(result.invocations).toBe(1001);
    expect(result.steps).toHaveLength(1001);
  }, 120_000); // 5-20 s alone on shared CPUs, over 30 s under the full suite
});
