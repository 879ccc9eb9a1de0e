import { describe, expect, it } from "vitest";
import { CORPUS_FILE, caseOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "nested-step";

describe("nested-step", () => {
  it("reports the synchronous case the SDK rejects, at the inner call", async () => {
    const result = await runCase(caseOf(kind, "starts a step synchronously"));
    expect(result.status).toBe("failed");
    const finding = await onlyFinding(kind, "starts a step synchronously");
    expect(finding).toMatchObject({ severity: "error", stepName: "inner", location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("inner"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "inner" was started inside step "outer" at corpus.ts:<line> (in delivery 1): the SDK rejects a step started before the outer function's first await with "A step can not be run inside another step", so the delivery fails on every retry and the run fails. Call it at the top level of the workflow, after "outer" returns."`);
  });

  it("reports the after-await case the SDK misses", async () => {
    const finding = await onlyFinding(kind, "starts a step after an await");
    expect(finding).toMatchObject({ stepName: "inner", stepId: 2, invocation: 1 });
    expect(sourceAt(finding.location)).toMatch(/^run\("inner"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "inner" was started inside step "outer" at corpus.ts:<line> (in delivery 1), after an await in the outer step's function: the SDK misses this case and submits context.run("inner") as a step of its own, so the next delivery fails with "Incompatible step name" and the run cannot go on. Call it at the top level of the workflow, after "outer" returns: const value = await context.run("outer", ...); await context.run("inner", ...)."`);
  });

  it("reports a sleep nested in a step after an await", async () => {
    const finding = await onlyFinding(kind, "sleeps inside a step");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "cool-down" was started inside step "download" at corpus.ts:<line> (in delivery 1), after an await in the outer step's function: the SDK misses this case and submits context.sleep("cool-down") as a step of its own, so the next delivery fails with "Incompatible step name" and the run cannot go on. Call it at the top level of the workflow, after "download" returns: const value = await context.run("download", ...); await context.sleep("cool-down", ...)."`);
  });

  it("reports only nested-step for the after-await case, not the plan divergence it causes", async () => {
    const result = await runCase(caseOf(kind, "starts a step after an await"), { retries: 2 });
    expect(result.findings.map((f) => f.kind)).toEqual([kind]);
  });

  itStaysCleanOnCorrectCases(kind);
});
