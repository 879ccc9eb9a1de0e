import { describe, expect, it } from "vitest";
import { MAX_CONTEXT_BYTES, MAX_STEPS } from "../../src/detectors/limit-exceeded.js";
import { CORPUS_FILE, onlyFinding, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "limit-exceeded";

describe("limit-exceeded", () => {
  it("uses the documented limits: 1,000 steps and 100 MB of run context", () => {
    expect(MAX_STEPS).toBe(1000);
    expect(MAX_CONTEXT_BYTES).toBe(100_000_000);
  });

  it("reports the 1,001st step of a run, at its call site", async () => {
    const finding = await onlyFinding(kind, "runs 1,001 steps");
    expect(finding).toMatchObject({ severity: "error", stepName: "row-1000", stepId: 1001, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\(`row-/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The run issued its 1001st step, context.run("row-1000") at corpus.ts:<line> in delivery 1001: Upstash Workflow allows at most 1,000 steps per run, so in production this run fails there. Split the work: batch items into fewer steps (one step per chunk of items), or start child runs with context.invoke for each batch."`);
  });

  it("reports a single step result over 100 MB", async () => {
    const finding = await onlyFinding(kind, "returns a 101 MB step result");
    expect(finding).toMatchObject({ stepName: "export", stepId: 1 });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The result of step "export" at corpus.ts:<line> is 101.0 MB: Upstash Workflow limits a run's context (payload plus every recorded step result) to 100 MB, so in production this run fails there. Keep large data out of step results: store it elsewhere (object storage, a database) inside the step and return only a key or a summary."`);
  });

  it("reports the step whose result brings the run's context over 100 MB", async () => {
    const finding = await onlyFinding(kind, "accumulates 120 MB");
    expect(finding).toMatchObject({ stepName: "page-2", stepId: 3 });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The result of step "page-2" at corpus.ts:<line> is 40.0 MB, which brings the run's payload and recorded results to 120.0 MB: Upstash Workflow limits a run's context (payload plus every recorded step result) to 100 MB, so in production this run fails there. Keep large data out of step results: store it elsewhere (object storage, a database) inside the step and return only a key or a summary."`);
  });

  itStaysCleanOnCorrectCases(kind);
});
