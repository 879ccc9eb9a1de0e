import { describe, expect, it } from "vitest";
import { CORPUS_FILE, caseOf, findingsOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "unawaited-step";

describe("unawaited-step", () => {
  it("reports a fire-and-forget step before a return (and the test process survives its abort)", async () => {
    const finding = await onlyFinding(kind, "fires an audit step");
    expect(finding).toMatchObject({ severity: "error", stepName: "audit", stepId: 2, invocation: 2, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("audit"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "audit" (context.run("audit") at corpus.ts:<line>) was not awaited before the workflow moved on in delivery 2: the SDK executes it and ends the delivery with a WorkflowAbort that nobody handles, while the code after it keeps running — here the workflow function returned, so the run is marked completed and the step's result is never used. Await it (await context.run("audit", ...)), or run independent steps together with await Promise.all([...])."`);
  });

  it("reports a step left pending while the workflow issues a later step", async () => {
    const finding = await onlyFinding(kind, "starts a step, lets time pass");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "log-start" (context.run("log-start") at corpus.ts:<line>) was not awaited before the workflow moved on in delivery 1: the SDK executes it and ends the delivery with a WorkflowAbort that nobody handles, while the code after it keeps running — here it went on to step "work" at corpus.ts:<line>, so two steps are submitted in one request. Await it (await context.run("log-start", ...)), or run independent steps together with await Promise.all([...])."`);
  });

  it("reports every step of an unawaited map, once each", async () => {
    const result = await runCase(caseOf(kind, "maps items to steps"));
    const findings = findingsOf(result, kind);
    expect(findings.map((f) => f.stepName)).toEqual(["job-1", "job-2"]);
    expect(pinned(findings[0]!.message)).toMatchInlineSnapshot(`"Step "job-1" (context.run("job-1") at corpus.ts:<line>) was not awaited before the workflow moved on in delivery 2: the SDK executes it and ends the delivery with a WorkflowAbort that nobody handles, while the code after it keeps running — here the workflow function returned, so the run is marked completed and the step's result is never used. Await it (await context.run("job-1", ...)), or run independent steps together with await Promise.all([...])."`);
  });

  itStaysCleanOnCorrectCases(kind);
});
