import { WorkflowAbort } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { CORPUS_FILE, caseOf, findingsOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "swallowed-abort";

describe("swallowed-abort", () => {
  it("reports a catch that returns a fallback: the run completes while the step is in flight", async () => {
    const result = await runCase(caseOf(kind, "returns a fallback"));
    expect(result.output).toBe("charge failed");
    const finding = await onlyFinding(kind, "returns a fallback");
    expect(finding).toMatchObject({ severity: "error", stepName: "charge", invocation: 2, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("charge"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The WorkflowAbort thrown by step "charge" at corpus.ts:<line> in delivery 2 was caught, and the workflow went on: the workflow function returned normally. The SDK ends every delivery by throwing WorkflowAbort through your code; code after the catch runs in the same request while the step is being submitted, and a return marks the run completed before that step's result arrives. Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function."`);
  });

  it("reports a catch that goes on to issue the next step", async () => {
    const finding = await onlyFinding(kind, "logs the error of a step");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The WorkflowAbort thrown by step "sync-crm" at corpus.ts:<line> in delivery 2 was caught, and the workflow went on: it issued step "report" at corpus.ts:<line>. The SDK ends every delivery by throwing WorkflowAbort through your code; code after the catch runs in the same request while the step is being submitted, and a return marks the run completed before that step's result arrives. Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function."`);
  });

  it("reports a try/catch around the whole workflow, which swallows the auth dry run's abort", async () => {
    const result = await runCase(caseOf(kind, "wraps the whole workflow"));
    expect(result.status).toBe("failed");
    const finding = await onlyFinding(kind, "wraps the whole workflow");
    expect(finding).toMatchObject({ stepName: "first", location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("first"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The WorkflowAbort thrown by step "first" at corpus.ts:<line> in the auth dry run of delivery 1 was caught (or its step was never awaited), so the workflow function returned without reaching a step: before every delivery the SDK runs the workflow up to its first step and throws there; a route that returns instead is answered 400 "Failed to authenticate Workflow request", so no step ever runs and the run fails. Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function."`);
  });

  it("reports a caught context.cancel()", async () => {
    const finding = await onlyFinding(kind, "catches context.cancel()");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The WorkflowCancelAbort thrown by context.cancel() in delivery 2 was caught, and the workflow went on: the workflow function returned normally. The SDK cancels the run only when that abort (a WorkflowAbort subclass in SDK 1.3.3) reaches it, so the run is never cancelled: it goes on as if cancel() had not been called (verified against the real serve(), decision 1205). Rethrow it: catch (error) { if (error instanceof WorkflowAbort) throw error; ... } (import { WorkflowAbort } from "@upstash/workflow"), or keep try/catch inside the step function."`);
  });

  it("leaves an abort nobody caught because the step was never awaited to unawaited-step", async () => {
    const result = await runCase(caseOf("unawaited-step", "fires an audit step"));
    expect(findingsOf(result, kind)).toEqual([]);
    expect(findingsOf(result, "unawaited-step")).toHaveLength(1);
  });

  it("stays quiet when a step's own error is caught and the workflow returns a fallback", async () => {
    const result = await replay(async (context) => {
      await context.run("prepare", () => 1);
      try {
        await context.run("charge", () => {
          throw new Error("card declined");
        });
      } catch (error) {
        if (error instanceof WorkflowAbort) throw error;
        return "declined";
      }
      return "charged";
    });
    expect(result.output).toBe("declined");
    expect(result.findings).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind, ["completed", "failed", "cancelled"]);
});
