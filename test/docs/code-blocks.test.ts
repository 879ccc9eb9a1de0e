// Every code block in README.md, docs/ and the examples' READMEs is either an example file (its
// lines appear, in order, in a file under examples/, test/ or fixtures/, where a test runs them) or is
// checked here: TypeScript and JavaScript blocks must parse and import only what the package
// exports, JSON blocks must parse, shell blocks may only run npm, npx, node or bun. Output blocks
// (`text`) are pinned where they are real output: examples/demo.test.ts, test/vitest/matchers.test.ts and
// test/docs/reference.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as core from "workflow-replay";
import * as fastCheck from "workflow-replay/fast-check";
import * as jest from "workflow-replay/jest";
import * as vitest from "workflow-replay/vitest";
import { codeBlocks, docFiles, read, root, type CodeBlock } from "./markdown.js";

const EXPORTS: Record<string, Set<string>> = {
  "workflow-replay": new Set(Object.keys(core)),
  "workflow-replay/fast-check": new Set(Object.keys(fastCheck)),
  "workflow-replay/vitest": new Set(Object.keys(vitest)),
  "workflow-replay/jest": new Set(Object.keys(jest)),
};
/** Exported types, which a runtime namespace does not list. */
const TYPES = /^[A-Z]\w*(Options|Result|Kind|Spec|Args|Error|History|Handler|Env|Keys|Mode|Location|Record|Status|Severity|Finding|Plan|Change|Shape|Answer|Delivery|Compatibility|Message|Context)$/;

const CODE = new Set(["ts", "tsx", "typescript", "js", "mjs", "javascript"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name.startsWith(".")) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs|tsx)$/.test(name) ? [path] : [];
  });
}

const lines = (code: string) => code.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
const examples = ["examples", "test", "fixtures"].flatMap((d) => sourceFiles(join(root, d))).map((file) => ({ file, lines: lines(readFileSync(file, "utf8")) }));

/** Whether the block's lines appear consecutively in one of the example or test files. */
function exampleFileOf(block: CodeBlock): string | undefined {
  const want = lines(block.code);
  if (want.length === 0) return undefined;
  for (const { file, lines: have } of examples) {
    for (let i = have.indexOf(want[0]!); i >= 0 && i <= have.length - want.length; i = have.indexOf(want[0]!, i + 1)) {
      if (want.every((line, k) => have[i + k] === line)) return file;
    }
  }
  return undefined;
}

function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.Preserve },
    fileName: "block.tsx",
  });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Problems of a block that is not an example file: syntax (as a module, or as a function body) and imports. */
function check(block: CodeBlock): string[] {
  const imports = block.code.split("\n").filter((l) => /^\s*import\b/.test(l));
  const body = block.code.split("\n").filter((l) => !/^\s*import\b/.test(l));
  const asModule = syntaxErrors(block.code);
  const asFunction = syntaxErrors(`${imports.join("\n")}\nasync function __block(): Promise<unknown> {\n${body.join("\n")}\n}`);
  const problems = asModule.length && asFunction.length ? asModule.map((e) => `syntax: ${e}`) : [];
  for (const m of block.code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"(workflow-replay(?:\/[\w-]+)?)"/g)) {
    const exported = EXPORTS[m[2]!];
    if (!exported) {
      problems.push(`imports from ${m[2]}, which is not a subpath of the package`);
      continue;
    }
    for (const raw of m[1]!.split(",")) {
      const name = raw.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!;
      if (name && !exported.has(name) && !TYPES.test(name)) problems.push(`imports ${name} from ${m[2]}, which does not export it`);
    }
  }
  return problems;
}

describe("code blocks in the docs", () => {
  const blocks = docFiles().flatMap((file) => codeBlocks(file, read(file)));

  it("finds the blocks of the README and the guides", () => {
    expect(blocks.filter((b) => b.file === "README.md" && CODE.has(b.lang)).length).toBeGreaterThan(3);
    expect(blocks.filter((b) => b.file.startsWith("docs/guide/") && CODE.has(b.lang)).length).toBeGreaterThan(10);
  });

  it("are example files, or parse and import only real exports", () => {
    const problems = blocks
      .filter((b) => CODE.has(b.lang) && !exampleFileOf(b))
      .flatMap((b) => check(b).map((p) => `${b.file}:${b.line}: ${p}`));
    expect(problems).toEqual([]);
  });

  it("parse as JSON when they say json", () => {
    const problems = blocks
      .filter((b) => b.lang === "json")
      .flatMap((b) => {
        try {
          JSON.parse(b.code);
          return [];
        } catch (error) {
          return [`${b.file}:${b.line}: ${(error as Error).message}`];
        }
      });
    expect(problems).toEqual([]);
  });

  it("run only npm, npx, node or bun when they are shell commands", () => {
    const problems = blocks
      .filter((b) => b.lang === "sh" || b.lang === "bash")
      .flatMap((b) => lines(b.code).filter((l) => !l.startsWith("#")).filter((l) => !/^(npm|npx|node|bun|NO_COLOR=1 npm)\b/.test(l)).map((l) => `${b.file}:${b.line}: ${l}`));
    expect(problems).toEqual([]);
  });

  it("does not mistake a broken block for a checked one", () => {
    expect(check({ file: "x", line: 1, lang: "ts", code: `import { replay, notAnExport } from "workflow-replay";\nconst x = ;` })).toEqual([
      expect.stringMatching(/^syntax: /),
      "imports notAnExport from workflow-replay, which does not export it",
    ]);
  });
});
