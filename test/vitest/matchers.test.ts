// The matchers tested the way @fast-check/vitest tests itself: spec files run by vitest in a child
// process, asserting on what that vitest really printed (through its JSON reporter). The same child
// runs readme.spec.ts, whose failing matcher docs/guide/reading-a-report.md pastes (one child process
// for both: each costs about two seconds of CPU).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPasted } from "../docs/pasted-output.js";

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

interface AssertionResult {
  /** The spec file (added here from the file's entry). */
  file: string;
  ancestorTitles: string[];
  title: string;
  status: "passed" | "failed";
  failureMessages: string[];
}

let results: AssertionResult[] = [];
let exitCode = 0;
/** What the child vitest printed (its default reporter: failures with vitest's diffs). */
let output = "";

/** The failure message of one test of the spec, without vitest's stack frames. */
function failure(title: string): string {
  const test = results.find((r) => r.file === "matchers.spec.ts" && r.ancestorTitles[0] === "failing" && r.title === title);
  if (!test) throw new Error(`no test "${title}" in the child run`);
  expect(test.status).toBe("failed");
  return test.failureMessages[0]!.split(/\n\s+at /)[0]!.trimEnd();
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "workflow-replay-matchers-"));
  const out = join(dir, "report.json");
  try {
    const args = ["run", "matchers.spec.ts", "readme.spec.ts", "--config", join(fixtures, "vitest.config.ts"), "--reporter=default", "--reporter=json", `--outputFile.json=${out}`];
    // cwd: the repository, so the locations in readme.spec.ts's report read as the docs paste them
    const child = await run(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" },
    });
    output = child.stdout + child.stderr;
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    exitCode = e.code ?? -1;
    output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
  const json = JSON.parse(readFileSync(out, "utf8")) as { testResults: Array<{ name: string; assertionResults: Omit<AssertionResult, "file">[] }> };
  results = json.testResults.flatMap((f) => f.assertionResults.map((r) => ({ ...r, file: f.name.split(/[\\/]/).at(-1)! })));
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("workflow-replay/vitest in a real vitest run", () => {
  it("passes every matcher used as intended, and fails the run for the failing ones", () => {
    expect(exitCode).toBe(1);
    const spec = results.filter((r) => r.file === "matchers.spec.ts");
    const passing = spec.filter((r) => r.ancestorTitles[0] === "passing");
    expect(passing.map((r) => [r.title, r.status])).toEqual(passing.map((r) => [r.title, "passed"]));
    expect(passing).toHaveLength(6);
    expect(spec.filter((r) => r.status === "failed")).toHaveLength(8);
  });

  it("toHaveStatus prints what it expected, then the run's report", () => {
    expect(failure("toHaveStatus")).toMatchInlineSnapshot(`
      "Error: expect(result).toHaveStatus("completed")

      Expected status: "completed"
      Received status: "failed"

      ✗ workflow-replay · run wfr_6a2oVTF60ERbHADJEhvnV · failed · no findings
        1 delivery · 0 steps recorded · 0.1s of virtual time · seed 1

      Timeline · virtual clock, run started 2025-01-01T00:00:00.000Z
        #1  +0.1s  2025-01-01T00:00:00.100Z  step  ✗ 500 Error: card declined

      Result  ✗ failed · 500 Error: card declined (in step "charge")

      Reproduce: replay(route, { ...sameOptions, seed: 1 })"
    `);
  });

  it("toCompleteWith says the run did not complete, and shows the retries", () => {
    const message = failure("toCompleteWith on a failed run");
    expect(message.split("\n\n")[1]).toMatchInlineSnapshot(`"Expected the run to complete with {"charged":true}, but it ended "failed"."`);
    expect(message).toContain("#2  +12.3s  2025-01-01T00:00:12.282Z  step  retry 1 · ✗ 500 Error: card declined");
  });

  it("toCompleteWith and toHaveRunSteps add vitest's diff under the report", () => {
    const message = failure("toCompleteWith with another output");
    expect(message).toContain(`Expected output: ["FETCH","SUMMARISE","EMAIL"]\nReceived output: ["FETCH","SUMMARIZE","EMAIL"]`);
    expect(output).toContain(`-   "SUMMARISE",\n+   "SUMMARIZE",`);
    expect(output).toContain(`-   "fetch",\n-   "summarize",\n-   "email",\n+   "fetch-0",`);
    const steps = failure("toHaveRunSteps");
    expect(steps).toContain(`Expected steps: ["plan","fetch","summarize","email"]\nReceived steps: ["plan","fetch-0","summarize-1","email-2"]`);
  });

  it("toHaveNoFindings and toHaveFinding list the findings in the house layout", () => {
    const none = failure("toHaveNoFindings");
    expect(none.split("\n\n")[1]).toMatchInlineSnapshot(`"Expected no findings, received 1: side-effect-outside-step."`);
    expect(none).toContain("✗ 1. side-effect-outside-step (error) · step \"plan\"");
    expect(none).toContain(`1. Move the request into a step: context.run("charge", () => fetch(...)).`);
    expect(failure("toHaveFinding").split("\n\n")[1]).toMatchInlineSnapshot(`"Expected a "nondeterminism" finding; the run has these: side-effect-outside-step."`);
    expect(failure("not.toHaveFinding").split("\n\n").slice(0, 2).join("\n\n")).toMatchInlineSnapshot(`
      "Error: expect(result).not.toHaveFinding("side-effect-outside-step")

      Expected no "side-effect-outside-step" finding, but the run has one."
    `);
  });

  it("says what to pass when the value is not a replay result", () => {
    expect(failure("a value that is not a replay result")).toMatchInlineSnapshot(`"TypeError: [workflow-replay] Failed to run toHaveStatus: expect() received object, not a replay result. Pass what replay() resolves to: expect(await replay(route, options)).toHaveStatus(…)."`);
  });
});

describe("the failing matcher pasted in docs/guide/reading-a-report.md", () => {
  it("is what readme.spec.ts prints in a real vitest run", () => {
    expect(results.filter((r) => r.file === "readme.spec.ts").map((r) => [r.title, r.status])).toEqual([["tags each new signup", "failed"]]);
    const start = output.indexOf(" FAIL  readme.spec.ts");
    expect(start).toBeGreaterThanOrEqual(0);
    // the block ends where vitest's separator for this failure starts (⎯⎯⎯[i/n]⎯)
    const separator = /⎯+\[\d+\/\d+\]⎯/g;
    separator.lastIndex = start;
    const end = separator.exec(output)?.index ?? -1;
    expect(end).toBeGreaterThan(start);
    checkPasted("```ts\nit(\"tags each new signup\"", output.slice(start, end).trimEnd());
  });
});
