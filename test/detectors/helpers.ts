import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import type { Finding, FindingKind, ReplayOptions, ReplayResult, SourceLocation } from "../../src/types.js";
import { corpus, type CorpusCase, type KindCorpus } from "./corpus.js";

/** Absolute path of the corpus module: the user's file every location must point into. */
export const CORPUS_FILE = fileURLToPath(new URL("./corpus.ts", import.meta.url));

export function kindCorpus(kind: FindingKind): KindCorpus {
  const entry = corpus.find((k) => k.kind === kind);
  if (!entry) throw new Error(`no corpus for ${kind}`);
  return entry;
}

/** The buggy (or correct) case whose title starts with `title`. */
export function caseOf(kind: FindingKind, title: string, list: "buggy" | "correct" = "buggy"): CorpusCase {
  const found = kindCorpus(kind)[list].find((c) => c.title.startsWith(title));
  if (!found) throw new Error(`no ${list} case "${title}" for ${kind}`);
  return found;
}

export function runCase(c: CorpusCase, extra: ReplayOptions<any> = {}): Promise<ReplayResult> {
  return replay(c.route() as never, { ...c.options, ...extra });
}

export function findingsOf(result: ReplayResult, kind: FindingKind): Finding[] {
  return result.findings.filter((f) => f.kind === kind);
}

/** Runs a buggy case and returns its only finding of `kind` (throws when there is not exactly one). */
export async function onlyFinding(kind: FindingKind, title: string, extra: ReplayOptions<any> = {}): Promise<Finding> {
  const result = await runCase(caseOf(kind, title), extra);
  const found = findingsOf(result, kind);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} finding for "${title}", got ${found.length}: ${JSON.stringify(found, null, 2)}`);
  }
  return found[0]!;
}

/** A message with locations in the corpus written as `corpus.ts:<line>` (snapshots survive edits of the corpus). */
export function pinned(message: string): string {
  return message.replace(/test\/detectors\/corpus\.ts:\d+:\d+/g, "corpus.ts:<line>");
}

/** The corpus source text at a location, from its column on: proves the location is the user's call. */
export function sourceAt(location: SourceLocation | undefined): string {
  if (!location) return "<no location>";
  const line = readFileSync(location.file, "utf8").split("\n")[location.line - 1] ?? "";
  return line.slice(location.column - 1);
}

/**
 * One test per correct workflow of the kind's corpus: it ends in one of `statuses` (default:
 * completed) with no finding of any kind.
 */
export function itStaysCleanOnCorrectCases(kind: FindingKind, statuses: readonly string[] = ["completed"]): void {
  for (const correct of kindCorpus(kind).correct) {
    it(`stays clean: ${correct.title}`, async () => {
      const result = await runCase(correct);
      expect(statuses).toContain(result.status);
      expect(result.findings).toEqual([]);
    });
  }
}
