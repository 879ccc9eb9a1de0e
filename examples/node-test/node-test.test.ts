// Runs the node:test example with `node --test`, in a child process, without vitest.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("passes under node --test, importing the built package by name", async () => {
  const file = fileURLToPath(new URL("./workflow.test.mjs", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--test", "--test-reporter=tap", file], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(stdout).toMatch(/^# tests 3$/m);
  expect(stdout).toMatch(/^# pass 3$/m);
  expect(stdout).toMatch(/^# fail 0$/m);
}, 60_000);
