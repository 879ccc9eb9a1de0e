// The shape of src/: no import cycle (type-only imports included) and small files. A file over
// MAX_LINES is allowed only when it is one concept that needs the room, said in its header.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const src = join(root, "src");
const MAX_LINES = 400;
/** What a long file's header says to justify its length. */
const LONG_FILE_NOTE = "One concept, over 400 lines:";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".test-d.ts") ? [path] : [];
  });
}

/** Relative imports and re-exports of a module, type-only ones included, as absolute .ts paths. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gms)) {
    out.push(resolve(dirname(file), match[1]!.replace(/\.js$/, ".ts")));
  }
  for (const match of text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)) {
    out.push(resolve(dirname(file), match[1]!.replace(/\.js$/, ".ts")));
  }
  return out;
}

describe("the source tree", () => {
  const files = sources(src);
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));

  it("has no import cycle", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f, texts.get(f)!)]));
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (file: string): void => {
      state.set(file, "open");
      stack.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === "open") cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((p) => relative(src, p)).join(" → "));
        else if (!state.has(dep) && graph.has(dep)) visit(dep);
      }
      stack.pop();
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(graph.size).toBeGreaterThan(50); // the scan found the sources
    expect(cycles, "import cycles in src/ (break them with an interface in a file both sides import)").toEqual([]);
  });

  it(`keeps files under ${MAX_LINES} lines unless the header says why one concept needs more`, () => {
    const long = files
      .map((f) => ({ file: relative(root, f), lines: texts.get(f)!.split("\n").length, header: texts.get(f)!.slice(0, 1_500) }))
      .filter(({ lines, header }) => lines > MAX_LINES && !header.includes(LONG_FILE_NOTE))
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(long, `split these files, or state in the header "${LONG_FILE_NOTE} <why>"`).toEqual([]);
  });
});
