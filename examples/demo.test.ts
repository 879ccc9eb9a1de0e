// Keeps `npm run demo` working: runs examples/demo.mjs (against the built package) once, reads its
// output, and checks the report and the whole output that docs/guide/reading-a-report.md pastes
// (refresh the page with UPDATE_README=1 npx vitest run examples/demo.test.ts test/vitest/matchers.test.ts).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, expect, it } from "vitest";
import { checkPasted } from "../test/docs/pasted-output.js";

let stdout = "";

beforeAll(async () => {
  const demo = fileURLToPath(new URL("./demo.mjs", import.meta.url));
  const root = fileURLToPath(new URL("../", import.meta.url));
  ({ stdout } = await promisify(execFile)(process.execPath, [demo], { cwd: root, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } }));
}, 60_000);

it("replays the bundled workflows and prints a timeline for each, findings for the buggy one", () => {
  expect(stdout).not.toContain("\u001b[");
  const sections = stdout.split(/^━━━━ \d\/4 /m).slice(1);
  expect(sections).toHaveLength(4);
  for (const section of sections.slice(0, 3)) expect(section).toMatch(/^Result {2}✓ completed → /m);
  expect(sections[0]).toContain(`ran "fetch-0"`);
  expect(sections[0]).toContain(`ran "email-2" → "sent to ops@example.com"`);
  expect(sections[1]).toContain(`planned 3 in parallel: "notify-slack", "notify-discord", "notify-email"`);
  expect(sections[2]).toContain(`call "start-transcode" answered 202 → {"jobId":"job-v42"}`);
  expect(sections[2]).toContain(`+40m 0.6s`);
  expect(sections[3]).toMatch(/^Result {2}✗ failed · 500 WorkflowError: Incompatible step name/m);
  expect(sections[3]).toMatch(/^Findings \(\d+ errors?/m);
});

it("prints what docs/guide/reading-a-report.md pastes: the buggy checkout's report and the whole output", () => {
  const demo = stdout.replace(/\n+$/, "");
  const buggy = demo.slice(demo.indexOf("━━━━ 4/4"));
  checkPasted("copied from a real run of `NO_COLOR=1 npm run demo`:", buggy.slice(buggy.indexOf("✗ workflow-replay")));
  checkPasted("<summary>The full output of <code>npm run demo</code>", demo);
});
