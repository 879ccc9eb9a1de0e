import { describe, expect, it } from "vitest";
import { caseOf, CORPUS_FILE, findingsOf, itStaysCleanOnCorrectCases, onlyFinding, pinned, runCase, sourceAt } from "./helpers.js";

const kind = "lost-step-state";

describe("lost-step-state", () => {
  it("names the step whose write was lost, the variable, where the run diverged and the fix", async () => {
    const finding = await onlyFinding(kind, "sums in a step and charges");
    expect(finding).toMatchObject({ severity: "error", stepName: "sum", location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^run\("sum"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Step "sum" at corpus.ts:<line> assigns \`total\` inside its function, and the code after it depends on that value. The function runs only in the delivery that executes the step; every later delivery serves the step from history without running it, so \`total\` is undefined (or still its first value) in every later delivery. At step 2 at corpus.ts:<line> the replayed run issues Call step "charge" with {"callUrl":"https://api.test/charges","callMethod":"POST","callBody":"{\\"amount\\":0}","callHeaders":{}}, where the same code run straight through issues Call step "charge" with {"callUrl":"https://api.test/charges","callMethod":"POST","callBody":"{\\"amount\\":6}","callHeaders":{}}: production does the former. Return the value from context.run and use the step's result (const value = await context.run("sum", () => …))."`);
  });

  it("a later step's function that reads the lost value: fails in the replay, not straight through", async () => {
    const result = await runCase(caseOf(kind, "loads a user in one step"));
    expect(result.status).toBe("failed");
    const finding = await onlyFinding(kind, "loads a user in one step");
    expect(finding.stepName).toBe("load-user");
    expect(finding.message).toContain("`user`");
    expect(finding.message).toMatch(/TypeError/);
  });

  it("the output differs", async () => {
    const finding = await onlyFinding(kind, "returns what a step assigned");
    expect(finding.message).toContain(`returns {"summary":""}`);
    expect(finding.message).toContain(`returns {"summary":"three new orders"}`);
  });

  it("an outer array pushed to in a loop of steps", async () => {
    const finding = await onlyFinding(kind, "pushes into an outer array");
    expect(finding.message).toContain("`lines`");
  });

  it("is not raised through checks: off, and never without a difference", async () => {
    const result = await runCase(caseOf(kind, "sums in a step"), { checks: { "lost-step-state": "off" } });
    expect(findingsOf(result, kind)).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind);
});
