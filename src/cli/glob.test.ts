import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { glob, isGlob } from "./glob.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wr-glob-"));
  for (const file of ["a.json", "b.json", "c.txt", "sub/d.json", "sub/deep/e.json", ".hidden/f.json", "node_modules/g.json", "x1.json", "x2.json"]) {
    await mkdir(join(dir, file, ".."), { recursive: true });
    await writeFile(join(dir, file), "{}");
  }
});

describe("glob", () => {
  it.each([
    ["*.json", ["a.json", "b.json", "x1.json", "x2.json"]],
    ["**/*.json", ["a.json", "b.json", "sub/d.json", "sub/deep/e.json", "x1.json", "x2.json"]],
    ["sub/**/*.json", ["sub/d.json", "sub/deep/e.json"]],
    ["x?.json", ["x1.json", "x2.json"]],
    ["x[2-9].json", ["x2.json"]],
    ["{a,c}.*", ["a.json", "c.txt"]],
    [".hidden/*.json", [".hidden/f.json"]],
    ["nothing/*.json", []],
  ])("%s", async (pattern, expected) => {
    expect(await glob(pattern, dir)).toEqual(expected);
  });

  it("tells patterns from plain paths", () => {
    expect(isGlob("fixtures/a.json")).toBe(false);
    expect(isGlob("fixtures/*.json")).toBe(true);
    expect(isGlob("fixtures/{a,b}.json")).toBe(true);
  });
});
