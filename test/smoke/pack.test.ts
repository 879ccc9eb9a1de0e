// Packs the package, installs the tarball into a fresh project and imports every subpath from ESM
// and from CJS: what npm users get, not what the repository has.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  bin?: Record<string, string>;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
};
/** "vitest", "fast-check", ... : every subpath in the exports map except package.json. */
const SUBPATHS = Object.keys(pkg.exports)
  .filter((key) => key !== "." && key !== "./package.json")
  .map((key) => key.slice(2));

let project = "";

const ROUTE = `async (context) => { const a = await context.run("one", () => 1); return await context.run("two", () => a + 1); }`;

const ESM = `
import * as core from "workflow-replay";
const subpaths = {};
for (const sub of ${JSON.stringify(SUBPATHS)}) subpaths[sub] = Object.keys(await import("workflow-replay/" + sub)).sort();
const result = await core.replay(${ROUTE});
console.log(JSON.stringify({ core: Object.keys(core).sort(), subpaths, status: result.status, output: result.output, invocations: result.invocations, headline: core.formatReport(result, { color: false }).split("\\n")[0] }));
`;

const CJS = `
const core = require("workflow-replay");
const loadedBeforeSubpaths = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](vitest|fast-check)[\\\\/]/.test(file));
const subpaths = {};
for (const sub of ${JSON.stringify(SUBPATHS)}) subpaths[sub] = Object.keys(require("workflow-replay/" + sub)).sort();
core.replay(${ROUTE}).then((result) => {
  console.log(JSON.stringify({ core: Object.keys(core).sort(), subpaths, loadedBeforeSubpaths, status: result.status, output: result.output, invocations: result.invocations, headline: core.formatReport(result, { color: false }).split("\\n")[0] }));
});
`;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "workflow-replay-smoke-"));
  await run("npm", ["pack", "--pack-destination", project, "--silent"], { cwd: root });
  const tarball = join(project, `workflow-replay-${pkg.version}.tgz`);
  expect(existsSync(tarball)).toBe(true);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "smoke", private: true }));
  // The package's own dependencies come from npm's cache (or the registry); peers are linked from this repository.
  await run("npm", ["install", "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: project });
  const peers = [...Object.keys(pkg.peerDependencies), "fast-check"];
  for (const peer of new Set(peers)) {
    const from = join(root, "node_modules", peer);
    const to = join(project, "node_modules", peer);
    if (!existsSync(from) || existsSync(to)) continue;
    mkdirSync(dirname(to), { recursive: true });
    symlinkSync(from, to, "dir");
  }
  writeFileSync(join(project, "esm.mjs"), ESM);
  writeFileSync(join(project, "cjs.cjs"), CJS);
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

async function node(file: string): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, [file], { cwd: project, env: { ...process.env, NO_COLOR: "1" } });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, any>;
}

describe("the packed tarball", () => {
  it("ships dist, the README and package.json, and no sources or tests", () => {
    const files = readFileSync(join(project, "node_modules/workflow-replay/package.json"), "utf8");
    expect(JSON.parse(files).exports).toEqual(pkg.exports);
    for (const path of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "README.md"]) {
      expect(existsSync(join(project, "node_modules/workflow-replay", path))).toBe(true);
    }
    expect(existsSync(join(project, "node_modules/workflow-replay/src"))).toBe(false);
    expect(existsSync(join(project, "node_modules/workflow-replay/test"))).toBe(false);
  });

  it("imports every subpath from ESM and runs a replay", async () => {
    const esm = await node("esm.mjs");
    expect(esm.status).toBe("completed");
    expect(esm.output).toBe(2);
    expect(esm.invocations).toBe(3);
    expect(esm.headline).toMatch(/^✓ workflow-replay · run wfr_\w+ · completed · no findings$/);
    expect(esm.core).toEqual(expect.arrayContaining(["replay", "formatReport", "assertReplay", "ReplayAssertionError"]));
    expect(Object.keys(esm.subpaths)).toEqual(SUBPATHS);
    expect(esm.subpaths.vitest).toEqual(expect.arrayContaining(["matchers"]));
  });

  it("requires every subpath from CJS with the same exports, and the core loads neither vitest nor fast-check", async () => {
    const [esm, cjs] = await Promise.all([node("esm.mjs"), node("cjs.cjs")]);
    expect(cjs.status).toBe("completed");
    expect(cjs.output).toBe(2);
    expect(cjs.core).toEqual(esm.core);
    expect(cjs.subpaths).toEqual(esm.subpaths);
    expect(cjs.loadedBeforeSubpaths).toEqual([]);
  });

  it("installs every bin and each runs (--version)", async () => {
    for (const name of Object.keys(pkg.bin ?? {})) {
      const bin = join(project, "node_modules/.bin", name);
      expect(existsSync(bin), `node_modules/.bin/${name}`).toBe(true);
      const { stdout } = await run(bin, ["--version"], { cwd: project, env: { ...process.env, NO_COLOR: "1" } });
      expect(stdout).toContain(pkg.version);
    }
  });
});
