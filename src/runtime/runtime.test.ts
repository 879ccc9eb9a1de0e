import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";
import { OPTION_DEFAULTS } from "../defaults.js";
import { originals } from "../sandbox/globals.js";
import { currentFrame, runInFrame } from "../sandbox/scope.js";
import { resolveRuntimeOptions } from "./options.js";
import { Runtime, withRuntime } from "./runtime.js";
import { generatedRunId } from "./streams.js";

describe("resolveRuntimeOptions()", () => {
  it("applies every default once", () => {
    const resolved = resolveRuntimeOptions({}, "replay");
    expect(resolved).toMatchObject({
      seed: OPTION_DEFAULTS.seed,
      startTime: OPTION_DEFAULTS.startTime,
      deliveryTimeout: OPTION_DEFAULTS.deliveryTimeout,
      retries: OPTION_DEFAULTS.retries,
      maxInvocations: OPTION_DEFAULTS.maxInvocations,
      url: OPTION_DEFAULTS.url,
      labels: [],
      headers: {},
      handlers: [],
      workflowRunId: generatedRunId(OPTION_DEFAULTS.seed),
    });
  });

  it("normalizes labels, run ids and start times", () => {
    expect(resolveRuntimeOptions({ label: "a,b" }, "replay").labels).toEqual(["a", "b"]);
    expect(resolveRuntimeOptions({ label: ["a,b"] }, "replay").labels).toEqual(["a,b"]);
    expect(resolveRuntimeOptions({ workflowRunId: "x" }, "replay").workflowRunId).toBe("wfr_x");
    expect(resolveRuntimeOptions({ workflowRunId: "wfr_x" }, "replay").workflowRunId).toBe("wfr_x");
    expect(resolveRuntimeOptions({ startTime: new Date(5) }, "replay").startTime).toBe(5);
    expect(generatedRunId(2)).not.toBe(generatedRunId(1));
  });

  it("derives the run id replay() uses from the seed", async () => {
    const result = await replay(async (context) => { await context.run("id", () => context.workflowRunId); }, { seed: 42 });
    expect(result.workflowRunId).toBe(generatedRunId(42));
  });
});

describe("Runtime", () => {
  it("undoes everything in reverse order, every step even when one throws, frames last", async () => {
    const order: string[] = [];
    const runtime = new Runtime(resolveRuntimeOptions({}, "replay"));
    runtime.defer(() => void order.push("first"));
    runtime.defer(() => {
      order.push("throws");
      throw new Error("boom");
    });
    runtime.defer(async () => void order.push("async"));
    runtime.defer(() => void order.push("last"));
    await runInFrame({ owner: {}, invocation: 0, dryRun: false }, async () => {
      await expect(Promise.resolve(runtime.dispose())).rejects.toThrow("boom");
    });
    expect(order).toEqual(["last", "async", "throws", "first"]);
    expect(currentFrame()).toBeUndefined();
  });

  it("restores the globals when the body throws", async () => {
    await expect(
      withRuntime(resolveRuntimeOptions({}, "replay"), async (runtime) => {
        runtime.startSimulator({ endpointFor: () => undefined });
        runtime.patchGlobals({ onRead() {} });
        expect(Math.random).not.toBe(originals.random);
        expect(Date.now()).toBe(OPTION_DEFAULTS.startTime);
        throw new Error("inside");
      }),
    ).rejects.toThrow("inside");
    expect(Math.random).toBe(originals.random);
    expect(Date.now()).not.toBe(OPTION_DEFAULTS.startTime);
  });
});
