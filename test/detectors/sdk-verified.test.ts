import { describe, expect, it } from "vitest";
import { comparable, runBoth } from "../conformance/both-modes.js";
import { replay } from "../../src/replay.js";

// Decision 1205: what the real serve() (SDK 1.3.3, through replayHandler) does in two cases the
// detectors describe, held against replay() delivery for delivery, and the finding replay() gives.

const cancelSwallowed = () => async (context: any) => {
  await context.run("a", () => 1);
  try {
    await context.cancel();
  } catch {
    // swallowed
  }
  await context.run("b", () => 2);
  return "after";
};

const asyncErrorCaught = () => async (context: any) => {
  try {
    await context.run("risky", async () => {
      await Promise.resolve();
      throw new Error("card declined");
    });
  } catch {
    await context.run("fallback", () => "fb");
  }
  return "done";
};

describe("checked against the real serve()", () => {
  it("a bare catch around context.cancel(): the run is never cancelled, in both drivers", async () => {
    const { mock, real } = await runBoth(cancelSwallowed);
    expect(comparable(mock)).toEqual(comparable(real));
    expect(real).toMatchObject({ status: "completed", output: "after" });
    const result = await replay(cancelSwallowed());
    expect(result.findings.map((f) => [f.kind, f.severity])).toEqual([["swallowed-abort", "error"]]);
    expect(result.findings[0]!.message).toContain("The WorkflowCancelAbort thrown by context.cancel() in delivery 2 was caught");
    expect(result.findings[0]!.message).toContain("the run is never cancelled");
  });

  it("a step's asynchronous error caught, then another step: the run stalls in both drivers", async () => {
    const { mock, real } = await runBoth(asyncErrorCaught, { retries: 1 });
    expect(comparable(mock)).toEqual(comparable(real));
    expect(real.status).toBe("waiting");
    expect(real.steps.map((s) => `${s.stepName}#${s.stepId}`)).toEqual(["init#0", "fallback#2", "fallback#2"]);
    expect(real.deliveries.at(-1)?.outcome).toBe("duplicate-step");
    const result = await replay(asyncErrorCaught(), { retries: 1 });
    const finding = result.findings.find((f) => f.kind === "caught-step-error");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain("the run stalls: it never completes or fails");
  });
});
