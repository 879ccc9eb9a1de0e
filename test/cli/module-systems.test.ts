// The CLI loads a TypeScript workflow module from a "type": "commonjs" project and from an ESM one,
// on the Node running the suite (.ci/run runs the suite on Node 20, 22 and 24).
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const cli = join(root, "dist/cli.js");
const history = join(root, "fixtures/histories/order-completed.json");

// fixtures/workflows.ts's order workflow, with a type annotation for tsx to strip, and a helper
// imported from a second TypeScript file (so the module system applies to an import too).
const STEPS = `
export async function order(context: { run<T>(name: string, fn: () => T): Promise<T>; sleep(name: string, d: string): Promise<void> }) {
  await context.run("validate", () => one());
  await context.run("charge", () => 2);
  await context.sleep("cool-off", "1d");
  return await context.run("ship", () => 3);
}
`;

async function project(type: "commonjs" | "module"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `wr-cli-${type}-`));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "flows", private: true, type }));
  await writeFile(join(dir, "one.ts"), `export const one = (): number => 1;\n`);
  const importOne = type === "module" ? `import { one } from "./one.ts";` : `import { one } from "./one";`;
  await writeFile(join(dir, "flow.ts"), `${importOne}\n${STEPS}`);
  return dir;
}

describe.each(["commonjs", "module"] as const)('a TypeScript workflow module in a "type": "%s" project', (type) => {
  it(`loads on Node ${process.versions.node} and checks the history`, async () => {
    const dir = await project(type);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, "check", "flow.ts#order", history], {
      cwd: dir,
      env: { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1" },
    });
    expect(stderr).toBe("");
    expect(stdout).toMatch(/✓ \S*order-completed\.json\s+completed, 4 steps\s+compatible/);
  }, 60_000);
});
