// docs/decisions/README.md is the index of the decision records: every record has a row there.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { read, root } from "./markdown.js";

describe("the decision records", () => {
  const records = readdirSync(join(root, "docs/decisions")).filter((f) => /^\d{4}-.+\.md$/.test(f));
  const index = read("docs/decisions/README.md");

  it("are all listed in docs/decisions/README.md", () => {
    expect(records.length).toBeGreaterThan(20);
    const missing = records.filter((file) => !index.includes(`](${file})`));
    expect(
      missing,
      `Add a row for each new record to the table in docs/decisions/README.md: | [NNNN](NNNN-title.md) | Title |`,
    ).toEqual([]);
  });

  it("start with their number and a title", () => {
    const bad = records.filter((file) => !new RegExp(`^# ${file.slice(0, 4)} [—-] \\S`).test(read(`docs/decisions/${file}`)));
    expect(bad, "the first line of a record is '# NNNN — Title'").toEqual([]);
  });
});
