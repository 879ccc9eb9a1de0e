// docs/reference/ lists everything it claims to: every option the drivers accept, every finding
// kind (with bad and fixed code), every field of a real result, and the CLI's own help text.
import { describe, expect, it } from "vitest";
import { replay, replayHandler } from "workflow-replay";
import { HELP } from "../../src/cli/help.js";
import { OPTION_DEFAULTS } from "../../src/defaults.js";
import { DEFAULT_SEVERITY } from "../../src/detectors/index.js";
import { codeBlocks, read } from "./markdown.js";

/** The option names a driver accepts, from its own "unknown option" message. */
async function knownOptions(run: () => Promise<unknown>): Promise<string[]> {
  const message = await run().then(
    () => "",
    (error: Error) => error.message,
  );
  const list = /Known options: ([^.]+)\./.exec(message)?.[1];
  expect(list, message).toBeDefined();
  return list!.split(", ");
}

describe("docs/reference", () => {
  it("documents every option of replay() and replayHandler()", async () => {
    const replayOptions = await knownOptions(() => replay(async () => undefined, { notAnOption: 1 } as never));
    const handlerOptions = await knownOptions(() => replayHandler(async () => new Response(), { notAnOption: 1 } as never));
    expect(replayOptions).toContain("payload");
    expect(handlerOptions).toContain("signature");
    const doc = read("docs/reference/options.md");
    const missing = [...new Set([...replayOptions, ...handlerOptions])].filter((name) => !doc.includes(`| \`${name}\` |`));
    expect(missing, "add a row for each to docs/reference/options.md").toEqual([]);
  });

  it("states the defaults the code uses", () => {
    const doc = read("docs/reference/options.md");
    for (const [name, value] of Object.entries(OPTION_DEFAULTS)) expect(doc, name).toContain(`| \`${name}\` | \`${value}\` |`);
  });

  it("gives every finding kind a section with its default severity and bad and fixed code", () => {
    const doc = read("docs/reference/findings.md");
    const sections = new Map(
      doc
        .split(/^## /m)
        .slice(1)
        .map((s) => [/^`([^`]+)`/.exec(s)?.[1] ?? "", s] as const),
    );
    const problems: string[] = [];
    for (const [kind, severity] of Object.entries(DEFAULT_SEVERITY)) {
      const section = sections.get(kind);
      if (!section) {
        problems.push(`${kind}: no "## \`${kind}\`" section`);
        continue;
      }
      if (!section.includes(`Default: ${severity}`)) problems.push(`${kind}: does not say "Default: ${severity}"`);
      const code = codeBlocks("findings.md", section).map((b) => b.code);
      if (!code.some((c) => c.startsWith("// bad")) || !code.some((c) => c.startsWith("// fixed"))) problems.push(`${kind}: needs a "// bad" and a "// fixed" block`);
    }
    expect(problems, "each kind needs a section in docs/reference/findings.md: ## `kind`, a line \"Default: <severity>\", a ```ts block starting // bad and one starting // fixed").toEqual([]);
  });

  it("documents every field of a real result", async () => {
    const result = await replay(async (context) => context.run("one", () => 1));
    const doc = read("docs/reference/result.md");
    const missing = Object.keys(result).filter((field) => !doc.includes(`| \`${field}\` |`));
    expect(missing, "add a row for each to docs/reference/result.md").toEqual([]);
  });

  it("shows the CLI's help exactly as the command prints it", () => {
    const doc = read("docs/reference/cli.md");
    const block = codeBlocks("cli.md", doc.slice(doc.indexOf("## `workflow-replay --help`"))).find((b) => b.lang === "text");
    expect(`${block?.code}\n`).toBe(HELP);
  });
});
