import { describe, expect, it } from "vitest";
import { CORPUS_FILE, onlyFinding, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "duplicate-step-name";

describe("duplicate-step-name", () => {
  it("reports a name reused in a loop, with both positions", async () => {
    const finding = await onlyFinding(kind, "reuses one step name in a loop");
    expect(finding).toMatchObject({ severity: "warning", stepName: "process", stepId: 2, location: { file: CORPUS_FILE } });
    expect(finding.expected).toMatchObject({ position: 1 });
    expect(finding.received).toMatchObject({ position: 2 });
    expect(sourceAt(finding.location)).toMatch(/^run\("process"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Two steps are named "process": context.run("process") at positions 1 and 2, at corpus.ts:<line> (the same call, reached twice). The SDK (1.3.3) matches steps by position and never checks names for uniqueness, so this works in production today; the risk is that logs, the dashboard and failure reports cannot tell them apart, and a later change of the plan that moves one of them cannot be caught by name: the SDK would serve it the other one's result. Give each step a unique name, e.g. with the loop index: context.run(\`process-\${i}\`, ...)."`);
  });

  it("reports one name used at two call sites, with both call sites", async () => {
    const finding = await onlyFinding(kind, "uses one name at two call sites");
    const first = (finding.expected as { location: { line: number } }).location;
    const second = (finding.received as { location: { line: number } }).location;
    expect(second.line).toBeGreaterThan(first.line);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Two steps are named "send-email": context.run("send-email") at positions 1 and 3, at corpus.ts:<line> and at corpus.ts:<line>. The SDK (1.3.3) matches steps by position and never checks names for uniqueness, so this works in production today; the risk is that logs, the dashboard and failure reports cannot tell them apart, and a later change of the plan that moves one of them cannot be caught by name: the SDK would serve it the other one's result. Give each step a unique name, e.g. with the loop index: context.run(\`send-email-\${i}\`, ...)."`);
  });

  it("reports duplicate names inside one parallel group", async () => {
    const finding = await onlyFinding(kind, "fans out with one name");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Two steps are named "fetch": context.run("fetch") at positions 1 and 2, at corpus.ts:<line> (the same call, reached twice). The SDK (1.3.3) matches steps by position and never checks names for uniqueness, so this works in production today; the risk is that logs, the dashboard and failure reports cannot tell them apart, and a later change of the plan that moves one of them cannot be caught by name: the SDK would serve it the other one's result. Give each step a unique name, e.g. with the loop index: context.run(\`fetch-\${i}\`, ...)."`);
  });

  itStaysCleanOnCorrectCases(kind);
});
