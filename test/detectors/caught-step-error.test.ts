import { describe, expect, it } from "vitest";
import { caseOf, CORPUS_FILE, itStaysCleanOnCorrectCases, onlyFinding, pinned, runCase, sourceAt } from "./helpers.js";

const kind = "caught-step-error";

describe("caught-step-error", () => {
  it("shows the step's own error, where the workflow went on, and the SDK's misleading message", async () => {
    const result = await runCase(caseOf(kind, "catches a step's synchronous error"));
    expect(result.error?.message).toBe("A step can not be run inside another step. Tried to run 'fallback' inside 'risky'");
    const finding = await onlyFinding(kind, "catches a step's synchronous error");
    expect(finding).toMatchObject({ severity: "error", stepName: "risky", location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/Error\("card declined"\)/); // the step's own throw
    expect((finding.received as { thrownAt: { file: string } }).thrownAt.file).toBe(CORPUS_FILE);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "risky" threw Error: card declined at corpus.ts:<line> in delivery 1, and the workflow caught it and went on: it called step "fallback" from the catch, which the SDK refused with "A step can not be run inside another step. Tried to run 'fallback' inside 'risky'". In production a delivery must end when its step fails (QStash then retries the step): going on runs the rest in the same request with step "risky" never recorded — after a synchronous throw the SDK refuses the next step with the misleading "A step can not be run inside another step. Tried to run '<next>' inside 'risky'" on every retry until the run fails; otherwise the next step is recorded in the failed step's place; every later delivery fails the failed step's await with "Incompatible step name", the same catch swallows that too, the next step runs and is recorded again, and the SDK drops QStash's following delivery as a duplicate — the run stalls: it never completes or fails, and nothing after that step runs. Handle the error inside the step and return a value that says what happened (context.run("risky", async () => { try { ... } catch (error) { return { failed: String(error) } } })), or rethrow it from the catch so QStash retries the step."`);
  });

  it("catches the asynchronous case too", async () => {
    const finding = await onlyFinding(kind, "catches a step's asynchronous error");
    expect(finding.message).toContain(`Step "risky" threw Error: card declined`);
    expect(finding.message).toContain(`it issued step "fallback"`);
  });

  it("names a swallowed WorkflowNonRetryableError", async () => {
    const finding = await onlyFinding(kind, "swallows a step's WorkflowNonRetryableError");
    expect(finding.message).toContain("the workflow function returned normally");
    expect(finding.severity).toBe("warning");
    expect(finding.message).toContain("the bare catch swallowed it, so the run does not fail");
  });

  itStaysCleanOnCorrectCases(kind, ["completed", "failed"]);
});
