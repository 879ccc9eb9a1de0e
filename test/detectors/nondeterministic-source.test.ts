import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { CORPUS_FILE, caseOf, findingsOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "nondeterministic-source";

describe("nondeterministic-source", () => {
  it("reports crypto.randomUUID() outside a step as a warning with its location", async () => {
    const finding = await onlyFinding(kind, "makes a trace id");
    expect(finding).toMatchObject({ severity: "warning", invocation: 1, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^randomUUID\(\)/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"crypto.randomUUID() was called outside context.run() in the auth dry run of delivery 1 at corpus.ts:<line>: its value is not recorded, so the next delivery sees a different one. Move it into a step: context.run("id", () => crypto.randomUUID())."`);
  });

  it("reports Date.now() outside a step, not the one inside the later step", async () => {
    const finding = await onlyFinding(kind, "takes the start time");
    expect(sourceAt(finding.location)).toMatch(/^now\(\);/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"Date.now() was called outside context.run() in the auth dry run of delivery 1 at corpus.ts:<line>: its value is not recorded, so the next delivery sees a different one. Move it into a step: context.run("now", () => Date.now())."`);
  });

  it("reports new Date() without arguments", async () => {
    const finding = await onlyFinding(kind, "computes today's date");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"new Date() was called outside context.run() in the auth dry run of delivery 1 at corpus.ts:<line>: its value is not recorded, so the next delivery sees a different one. Move it into a step: context.run("now", () => new Date().toISOString())."`);
  });

  it("reports performance.now() and crypto.getRandomValues()", async () => {
    const perf = await onlyFinding(kind, "measures with performance.now()");
    const bytes = await onlyFinding(kind, "draws bytes");
    expect([pinned(perf.message), pinned(bytes.message)]).toMatchInlineSnapshot(`
      [
        "performance.now() was called outside context.run() in the auth dry run of delivery 1 at corpus.ts:<line>: its value is not recorded, so the next delivery sees a different one. Move it into a step: context.run("now", () => performance.now()).",
        "crypto.getRandomValues() was called outside context.run() in the auth dry run of delivery 1 at corpus.ts:<line>: its value is not recorded, so the next delivery sees a different one. Move it into a step: context.run("random-bytes", () => Array.from(crypto.getRandomValues(new Uint8Array(16)))).",
      ]
    `);
  });

  it("reports each call site once, although it runs in every delivery and every dry run", async () => {
    const result = await replay(async (context) => {
      for (let i = 0; i < 3; i++) {
        const jitter = Math.random();
        await context.run(`step-${i}`, () => i + jitter * 0);
      }
    });
    expect(result.invocations).toBe(4);
    expect(findingsOf(result, kind)).toHaveLength(1);
  });

  it("ignores the reads msw makes while answering a request made outside a step", async () => {
    const result = await runCase(caseOf("side-effect-outside-step", "GETs its config"));
    expect(findingsOf(result, kind)).toEqual([]);
  });

  it("can be turned off", async () => {
    const result = await runCase(caseOf(kind, "makes a trace id"), { checks: { [kind]: "off" } });
    expect(result.findings).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind);
});
