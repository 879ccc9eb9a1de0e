import { serve, type WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";
import { runBoth } from "../conformance/both-modes.js";

// The real SDK rejects an unawaited step's promise when the delivery ends. Through replayHandler()
// none of those rejections escapes (the suite fails on any unhandled rejection), and an unawaited
// step is an `unawaited-step` finding at the same call site in both drivers (decision 1502).
const findingsOf = (result: { findings: Array<{ kind: string; stepName?: string; location?: { line: number } }> }) =>
  result.findings.map((f) => `${f.kind} ${f.stepName} @${f.location?.line}`);

describe("unawaited steps through the real SDK", () => {
  it("a step left unawaited before the workflow returns", async () => {
    const line = thisLine() + 3;
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("one", () => 1);
      void context.run("forgotten", () => 2);
      return "done";
    });
    expect(findingsOf(mock)).toEqual([`unawaited-step forgotten @${line}`]);
    expect(findingsOf(real)).toEqual(findingsOf(mock));
    expect(real.invocations).toBe(mock.invocations);
  });

  it("a step left unawaited while the workflow went on to the next one later", async () => {
    const line = thisLine() + 2;
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      void context.run("forgotten", () => 2);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await context.run("one", () => 1);
      return "done";
    });
    expect(findingsOf(mock)).toEqual([`unawaited-step forgotten @${line}`]);
    expect(findingsOf(real)).toEqual(findingsOf(mock));
  });

  it("an unawaited step issued with the next one forms a parallel group: no finding in either driver", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await context.run("one", () => 1);
      void context.run("forgotten", () => 2);
      await context.run("three", () => 3);
      return "done";
    });
    expect(mock.findings).toEqual([]);
    expect(real.findings).toEqual([]);
    expect(real.invocations).toBe(mock.invocations);
  });

  it("checks: { 'unawaited-step': 'off' } silences it", async () => {
    const { handler } = serve(async (context) => {
      await context.run("one", () => 1);
      void context.run("forgotten", () => 2);
    }, { env: simulatorEnv() });
    const result = await replayHandler(handler, { checks: { "unawaited-step": "off" } });
    expect(result.findings).toEqual([]);
  });

  it("hands every other unhandled rejection on to the listeners it set aside", async () => {
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const seen: string[] = [];
    const mine = (reason: unknown) => seen.push((reason as Error).message);
    process.on("unhandledRejection", mine);
    try {
      const { handler } = serve(async (context) => {
        await context.run("leaky", () => {
          void Promise.reject(new Error("the user's own bug"));
          return 1;
        });
      }, { env: simulatorEnv() });
      const result = await replayHandler(handler);
      expect(result.status).toBe("completed");
      expect(seen).toEqual(["the user's own bug"]);
      expect(process.listeners("unhandledRejection")).toEqual([mine]);
    } finally {
      process.removeListener("unhandledRejection", mine);
      for (const listener of saved) process.on("unhandledRejection", listener as never);
    }
  });
});

function thisLine(): number {
  const line = new Error().stack!.split("\n")[2]!;
  return Number(/:(\d+):\d+\)?$/.exec(line)![1]);
}
