// The docs paste real output (a report from `npm run demo`, the whole demo output, a failing
// matcher) in docs/guide/reading-a-report.md. This test re-runs both and fails when the page has
// drifted from what the code prints.
// Refresh the page with: UPDATE_README=1 npx vitest run test/report/readme-output.test.ts
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const README = join(root, "docs/guide/reading-a-report.md");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" };
const update = process.env.UPDATE_README === "1";

/** The ```text block that follows `anchor` in the README: [start, end) offsets of its body. */
function textBlockAfter(readme: string, anchor: string): [number, number] {
  const at = readme.indexOf(anchor);
  expect(at, `anchor not found in docs/guide/reading-a-report.md: ${anchor}`).toBeGreaterThanOrEqual(0);
  const start = readme.indexOf("```text\n", at) + "```text\n".length;
  const end = readme.indexOf("\n```", start);
  return [start, end];
}

function check(anchor: string, actual: string): void {
  const readme = readFileSync(README, "utf8");
  const [start, end] = textBlockAfter(readme, anchor);
  if (update) {
    writeFileSync(README, readme.slice(0, start) + actual + readme.slice(end));
    return;
  }
  expect(readme.slice(start, end)).toBe(actual);
}

describe("the output pasted in docs/guide/reading-a-report.md", () => {
  it("is what npm run demo prints, and its buggy-checkout report", async () => {
    const { stdout } = await run(process.execPath, [join(root, "examples/demo.mjs")], { cwd: root, env });
    const demo = stdout.replace(/\n+$/, "");
    const buggy = demo.slice(demo.indexOf("━━━━ 4/4"));
    check("copied from a real run of `NO_COLOR=1 npm run demo`:", buggy.slice(buggy.indexOf("✗ workflow-replay")));
    check("<summary>The full output of <code>npm run demo</code>", demo);
  }, 60_000);

  it("is what the failing matcher of test/vitest/fixtures/readme.spec.ts prints", async () => {
    const vitest = join(root, "node_modules/vitest/vitest.mjs");
    const config = join(root, "test/vitest/fixtures/vitest.config.ts");
    let output = "";
    try {
      await run(process.execPath, [vitest, "run", "readme.spec.ts", "--config", config], { cwd: root, env });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
    const start = output.indexOf(" FAIL  readme.spec.ts");
    const end = output.indexOf("⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯");
    expect(start).toBeGreaterThanOrEqual(0);
    check("```ts\nit(\"tags each new signup\"", output.slice(start, end).trimEnd());
  }, 60_000);
});
