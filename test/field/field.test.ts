// Every field workflow through replay() and replayHandler(): no false error, every known bug caught
// (in each driver that can observe its class), no crash, hang or unhandled rejection, and both
// drivers agree on status, output and history length.
import { serve } from "@upstash/workflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";
import type { ReplayResult } from "../../src/types.js";
import { field } from "./corpus.js";
import type { FieldWorkflow } from "./field-workflow.js";

const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);
beforeAll(() => void process.on("unhandledRejection", onRejection));
afterAll(() => void process.off("unhandledRejection", onRejection));

/** Per-run wall-clock cap: a hang fails the test instead of stalling the suite. */
async function bounded<T>(what: string, run: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} hung`)), 20_000)));
  try {
    return await Promise.race([run, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function viaReplay(w: FieldWorkflow): Promise<ReplayResult> {
  return bounded(`replay(${w.title})`, replay(w.route() as never, w.options ?? {}));
}

function viaHandler(w: FieldWorkflow): Promise<ReplayResult> {
  const { initialPayloadParser: _parser, ...options } = (w.options ?? {}) as Record<string, unknown>;
  const { handler } = serve(w.route() as never, { env: simulatorEnv(), ...(w.serveOptions ?? {}) } as never);
  return bounded(`replayHandler(${w.title})`, replayHandler(handler, options as never));
}

describe("field corpus", () => {
  it("has at least 15 workflows from at least 10 repositories, each with provenance", () => {
    expect(field.length).toBeGreaterThanOrEqual(15);
    expect(new Set(field.map((w) => w.source.repo)).size).toBeGreaterThanOrEqual(10);
    for (const w of field) expect(w.source.commit, w.title).toMatch(/^[0-9a-f]{40}$/);
  });

  it("raises no false error, catches every known bug, and both drivers agree", async () => {
    let errors = 0;
    let falseErrors = 0;
    let known = 0;
    let caught = 0;
    let agree = 0;
    const problems: string[] = [];
    for (const w of field) {
      const results: Array<[string, ReplayResult]> = [];
      for (const [mode, run] of [["replay", viaReplay], ["handler", viaHandler]] as const) {
        try {
          results.push([mode, await run(w)]);
        } catch (error) {
          problems.push(`${mode} crashed on "${w.title}": ${(error as Error).message}`);
        }
      }
      for (const [mode, result] of results) {
        const bugKinds = new Set(w.bugs.filter((b) => mode === "replay" || b.handler).map((b) => b.kind));
        for (const f of result.findings.filter((x) => x.severity === "error")) {
          errors++;
          if (!bugKinds.has(f.kind)) {
            falseErrors++;
            problems.push(`false error (${mode}) in "${w.title}": ${f.kind}: ${f.message}`);
          }
        }
        for (const kind of bugKinds) {
          known++;
          if (result.findings.some((f) => f.kind === kind && f.severity === "error")) caught++;
          else problems.push(`missed (${mode}) ${kind} in "${w.title}"`);
        }
      }
      const [a, b] = results.map(([, r]) => r);
      if (a && b && a.status === b.status && JSON.stringify(a.output) === JSON.stringify(b.output) && a.steps.length === b.steps.length) agree++;
      else if (a && b) problems.push(`modes disagree on "${w.title}": ${a.status}/${a.steps.length} steps vs ${b.status}/${b.steps.length} steps`);
    }
    console.log(`field: ${field.length} workflows; error findings ${errors} (false ${falseErrors}); bugs caught ${caught}/${known}; modes agree ${agree}/${field.length}`);
    expect(problems).toEqual([]);
    expect(rejections).toEqual([]);
    expect(falseErrors).toBe(0);
    expect(caught).toBe(known);
  }, 240_000);
});
