import { serve } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";
import { simulatorEnv } from "../../src/qstash/env.js";

describe("replayHandler smoke", () => {
  it("runs three sequential steps through the real SDK", async () => {
    const route = async (context: any) => {
      const a = await context.run("one", () => 1);
      const b = await context.run("two", () => a + 1);
      return await context.run("three", () => b + 1);
    };
    const { handler } = serve(route, { env: simulatorEnv() });
    const result = await replayHandler(handler, { payload: { x: 1 } });
    const mock = await replay(route, { payload: { x: 1 } });
    console.log(JSON.stringify(result.deliveries, null, 1).slice(0, 3000));
    expect(result.status).toBe("completed");
    expect(result.output).toBe(3);
    expect(result.invocations).toBe(4);
    expect(result.steps).toEqual(mock.steps);
  });
});
