// No relative link in README.md, docs/ or the examples' READMEs points at a file (or a heading)
// that does not exist.
import { existsSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { anchors, docFiles, linkTargets, read, root } from "./markdown.js";

describe("links in the docs", () => {
  const files = docFiles();

  it("finds the docs (README, guides, reference, decisions)", () => {
    for (const dir of ["docs/guide/", "docs/reference/", "docs/decisions/"]) expect(files.some((f) => f.startsWith(dir)), dir).toBe(true);
  });

  it("resolves every relative link and heading anchor", () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = read(file);
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
        const [pathPart, anchor] = target.split("#") as [string, string | undefined];
        const path = pathPart ? normalize(join(dirname(join(root, file)), decodeURI(pathPart))) : join(root, file);
        if (!path.startsWith(root) || !existsSync(path)) {
          broken.push(`${file}: ${target} (no such file: ${relative(root, path)})`);
          continue;
        }
        if (anchor && path.endsWith(".md") && statSync(path).isFile() && !anchors(read(relative(root, path))).has(anchor)) {
          broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(root, path)})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("links the guides and the reference from the README", () => {
    const targets = linkTargets(read("README.md"));
    for (const dir of ["docs/guide/", "docs/reference/"]) expect(targets.some((t) => t.startsWith(dir)), dir).toBe(true);
  });
});
