// The built binary as users start it: a real process (shebang entry, exit code, streams, and tsx
// loading a TypeScript workflow). What the command does is pinned in-process in cli.test.ts.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "dist/cli.js");

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("the workflow-replay binary", () => {
  it("prints the package version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    const result = await run(["--version"]);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("loads a TypeScript workflow through tsx and exits 1 on an incompatible history", async () => {
    const result = await run(["check", "fixtures/edited-workflows.ts#orderRenamed", "fixtures/histories/order-completed.json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("1 of 1 history incompatible with today's code");
  });
});
