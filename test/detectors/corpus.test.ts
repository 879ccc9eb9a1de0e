import { describe, expect, it } from "vitest";
import { DEFAULT_SEVERITY } from "../../src/detectors/index.js";
import type { ChecksOption, FindingKind } from "../../src/types.js";
import { fullSuite } from "../run-counts.js";
import { corpus, type CorpusCase } from "./corpus.js";
import { runCase } from "./helpers.js";

/**
 * The three limit cases cost more than the rest of the corpus together (1,001 deliveries; 100 MB of
 * results). limit-exceeded.test.ts runs exactly these buggy cases and asserts their one finding, so
 * the fast suite skips them here; `npm run test:full` runs them in both files.
 */
const HEAVY = ["runs 1,001 steps in one run", "returns a 101 MB step result", "accumulates 120 MB of step results"];
const inThisSuite = (c: CorpusCase) => fullSuite || !HEAVY.includes(c.title);

describe("detector corpus", () => {
  it("catches every buggy workflow and raises no false alarm on the correct ones", async () => {
    let bugs = 0;
    let caught = 0;
    let correct = 0;
    let falseAlarms = 0;
    const misses: string[] = [];
    for (const { kind, buggy, correct: clean } of corpus) {
      for (const c of buggy.filter(inThisSuite)) {
        bugs++;
        const result = await runCase(c);
        if (result.findings.some((f) => f.kind === kind)) caught++;
        else misses.push(`missed ${kind}: ${c.title}`);
      }
      for (const c of clean) {
        correct++;
        const result = await runCase(c);
        if (result.findings.length > 0) {
          falseAlarms++;
          misses.push(`false alarm in "${c.title}" (${kind}): ${result.findings.map((f) => f.kind).join(", ")}`);
        }
      }
    }
    console.log(`detectors: caught ${caught}/${bugs} bugs, false alarms ${falseAlarms}/${correct}`);
    expect(misses).toEqual([]);
    expect(caught).toBe(bugs);
    expect(falseAlarms).toBe(0);
    expect(bugs).toBeGreaterThanOrEqual(30);
    expect(corpus.flatMap((k) => k.buggy).filter((c) => HEAVY.includes(c.title)), "the heavy cases still exist").toHaveLength(3);
    expect(correct).toBeGreaterThanOrEqual(30);
  }, 180_000); // ~100 workflows in series: well under 30 s alone, slower when the machine is shared

  it("reports nothing when checks turn every detector off", async () => {
    const off = Object.fromEntries(Object.keys(DEFAULT_SEVERITY).map((k) => [k, "off"])) as ChecksOption;
    for (const { buggy } of corpus) {
      for (const c of buggy) {
        if (c.title.includes("MB") || c.title.includes("1,001")) continue; // the limits' cost is the same either way
        const result = await runCase(c, { checks: off });
        expect(result.findings, c.title).toEqual([]);
      }
    }
  });

  it("has at least three buggy and three correct workflows per kind", () => {
    const kinds = corpus.map((k) => k.kind);
    const expected: FindingKind[] = [
      "nondeterminism",
      "nondeterministic-source",
      "side-effect-outside-step",
      "duplicate-step-name",
      "non-serializable-result",
      "nested-step",
      "swallowed-abort",
      "unawaited-step",
      "payload-mutation",
      "limit-exceeded",
      "early-return",
      "caught-step-error",
      "callback-dry-run",
      "lost-step-state",
    ];
    expect(kinds).toEqual(expected);
    for (const k of corpus) {
      expect(k.buggy.length, k.kind).toBeGreaterThanOrEqual(3);
      expect(k.correct.length, k.kind).toBeGreaterThanOrEqual(3);
    }
  });
});
