import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import config from "../../vitest.config.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

// The suite must fail when any test leaves an unhandled rejection (issue 15): vitest does so by
// default unless dangerouslyIgnoreUnhandledErrors is set. Prove both: the option is off, and a
// passing test that leaks a rejection fails the run under the project's own config.
describe("unhandled rejections fail the suite", () => {
  it("the project's vitest config does not ignore unhandled errors", () => {
    expect((config as { test?: { dangerouslyIgnoreUnhandledErrors?: boolean } }).test?.dangerouslyIgnoreUnhandledErrors).not.toBe(true);
  });

  it("a passing test that leaks a rejected promise fails the run", () => {
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url)), "run", "--config", "vitest.config.ts", "--typecheck.enabled=false", "test/unhandled/rejection.fixture.ts"],
      { cwd: root, encoding: "utf8", env: { ...process.env, VITEST_INCLUDE_FIXTURE: "1", CI: "1" }, timeout: 60_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toMatch(/leaked on purpose/);
    expect(output).toMatch(/Unhandled Rejection/i);
    expect(run.status).not.toBe(0);
  }, 60_000);
});
