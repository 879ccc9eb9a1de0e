// Runs the node:test example with `node --test`, in a child process, without vitest.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

// The README's directory form, `node --test examples/node-test/` (index.js makes it work on Node 22+).
it("passes under node --test, importing the built package by name", async () => {
  const dir = fileURLToPath(new URL("./", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--test", "--test-reporter=tap", dir], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(stdout).toMatch(/^# tests 3$/m);
  expect(stdout).toMatch(/^# pass 3$/m);
  expect(stdout).toMatch(/^# fail 0$/m);
}, 60_000);
