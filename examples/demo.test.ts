// Keeps `npm run demo` working: runs examples/demo.mjs (against the built package) and reads its output.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("replays the bundled workflows and prints a timeline for each, findings for the buggy one", async () => {
  const demo = fileURLToPath(new URL("./demo.mjs", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [demo], { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "" } });
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
}, 60_000);
