import { readFileSync } from "node:fs";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";
import type { Finding, ReplayResult } from "../types.js";
import { formatReport } from "./format-report.js";
import { defaultColor, stripAnsi } from "./style.js";

const THIS_FILE = new URL(import.meta.url).pathname;
const MARK = "only-step" + "-marker";
const ONLY_LINE = readFileSync(THIS_FILE, "utf8").split("\n").findIndex((l) => l.endsWith(MARK)) + 1;

async function pipelineRun(): Promise<ReplayResult> {
  return replay(
    async (context) => {
      const names = await context.run("plan", () => ["fetch", "summarize"]);
      for (const [i, name] of names.entries()) await context.run(`${name}-${i}`, () => name.toUpperCase());
      await context.sleep("cool-down", "10m");
      await Promise.all([context.run("a", () => 1), context.run("b", () => 2)]);
      const job = await context.call("job", { url: "https://jobs.example.com/start", method: "POST", body: JSON.stringify({ id: 1 }) });
      const done = await context.waitForEvent("wait-done", "job-done", { timeout: "1h" });
      return { job: job.status, timedOut: done.timeout };
    },
    {
      handlers: [http.post("https://jobs.example.com/start", () => HttpResponse.json({ jobId: "j1" }))],
      events: { "job-done": { data: { ok: true }, after: "5m" } },
      checks: { "non-idempotent-step": "off" },
    },
  );
}

function withFindings(result: ReplayResult, findings: Finding[]): ReplayResult {
  return { ...result, findings };
}

describe("formatReport", () => {
  it("shows each delivery on the virtual clock: executed steps, sleeps, parallel plans, calls, events", async () => {
    const result = await pipelineRun();
    expect(result.status).toBe("completed");
    expect(formatReport(withFindings(result, []), { color: false })).toMatchInlineSnapshot(`
      "✓ workflow-replay · run wfr_6a2oVTF60ERbHADJEhvnV · completed · no findings
        12 deliveries · 8 steps recorded · 15m 1.2s of virtual time · seed 1

      Timeline · virtual clock, run started 2025-01-01T00:00:00.000Z
         #1  +0.1s      2025-01-01T00:00:00.100Z  step      ran "plan" → ["fetch","summarize"]
         #2  +0.2s      2025-01-01T00:00:00.200Z  step      ran "fetch-0" → "FETCH"
         #3  +0.3s      2025-01-01T00:00:00.300Z  step      ran "summarize-1" → "SUMMARIZE"
         #4  +0.4s      2025-01-01T00:00:00.400Z  step      sleep "cool-down" for 10m
         #5  +10m 0.5s  2025-01-01T00:10:00.500Z  step      woke from sleep "cool-down" · planned 2 in parallel: "a", "b"
         #6  +10m 0.6s  2025-01-01T00:10:00.600Z  step      ran "a" → 1
         #7  +10m 0.6s  2025-01-01T00:10:00.600Z  step      ran "b" → 2
         #8  +10m 0.7s  2025-01-01T00:10:00.700Z  step      result of "a" arrived · other parallel branches still running
         #9  +10m 0.7s  2025-01-01T00:10:00.700Z  step      call "job" dispatched
        #10  +10m 0.9s  2025-01-01T00:10:00.900Z  callback  call "job" answered 200 → {"jobId":"j1"}
        #11  +10m 1s    2025-01-01T00:10:01.000Z  step      wait "wait-done" for event "job-done" (timeout 1h)
        #12  +15m 1.2s  2025-01-01T00:15:01.200Z  step      wait "wait-done" got its event → {"ok":true} · replayed 8 steps ("plan" … "wait-done") · returned → {"job":200,"timedOut":false}

      Result  ✓ completed → {"job":200,"timedOut":false}

      Reproduce: replay(route, { ...sameOptions, seed: 1 })"
    `);
  });

  it("shows retries with their backoff, the failure function and the failing step", async () => {
    const result = await replay(
      async (context) => {
        await context.run("a", () => 1);
        await context.run("boom", () => {
          throw new Error("kaboom");
        });
      },
      { failureFunction: () => "cleaned up" },
    );
    expect(formatReport(withFindings(result, []), { color: false })).toMatchInlineSnapshot(`
      "✗ workflow-replay · run wfr_6a2oVTF60ERbHADJEhvnV · failed · no findings
        6 deliveries · 1 step recorded · 32m 48.8s of virtual time · seed 1

      Timeline · virtual clock, run started 2025-01-01T00:00:00.000Z
        #1  +0.1s       2025-01-01T00:00:00.100Z  step              ran "a" → 1
        #2  +0.2s       2025-01-01T00:00:00.200Z  step              ✗ 500 Error: kaboom
        #3  +12.4s      2025-01-01T00:00:12.382Z  step              retry 1 · ✗ 500 Error: kaboom
        #4  +2m 40.8s   2025-01-01T00:02:40.795Z  step              retry 2 · ✗ 500 Error: kaboom
        #5  +32m 48.8s  2025-01-01T00:32:48.837Z  step              retry 3 · ✗ 500 Error: kaboom
        #6  +32m 48.9s  2025-01-01T00:32:48.937Z  failure-callback  failureFunction ran → "cleaned up" · failure-callback-executed

      Result  ✗ failed · 500 Error: kaboom (in step "boom")

      Reproduce: replay(route, { ...sameOptions, seed: 1 })"
    `);
  });

  it("prints a finding with its location, the source line, expected and received, numbered hints", async () => {
    const result = await replay(async (context) => {
      await context.run("only", () => 1); // only-step-marker
    });
    const finding: Finding = {
      kind: "nondeterminism",
      severity: "error",
      message: "The step at position 1 was named differently when the run was replayed.",
      stepName: "only",
      stepId: 1,
      invocation: 2,
      location: { file: THIS_FILE, line: ONLY_LINE, column: 27 }, // the `context.run("only"` line above
      hint: "Derive step names from the payload or from step results.\nIf the name must change, deploy it under a new workflow URL.",
      expected: { stepName: "only" },
      received: { stepName: "only-2" },
    };
    const text = formatReport(withFindings(result, [finding]), { color: false, timeline: false, cwd: process.cwd() });
    expect(text).toMatchInlineSnapshot(`
      "✗ workflow-replay · run wfr_6a2oVTF60ERbHADJEhvnV · completed · 1 error
        2 deliveries · 1 step recorded · 0.2s of virtual time · seed 1

      Result  ✓ completed → undefined

      Findings (1 error)

        ✗ 1. nondeterminism (error) · step "only" (id 1) · delivery #2
           The step at position 1 was named differently when the run was replayed.
           at src/report/format-report.test.ts:94:27
             94 │       await context.run("only", () => 1); // only-step-marker
                │                           ^
           - Expected  + Received
             {
           -   "stepName": "only"
           +   "stepName": "only-2"
             }
           Hints:
             1. Derive step names from the payload or from step results.
             2. If the name must change, deploy it under a new workflow URL.
             3. If it is intended: replay(route, { checks: { "nondeterminism": "off" } }), or
                assertReplay(result, { allow: ["nondeterminism"] }).

      Reproduce: replay(route, { ...sameOptions, seed: 1 })"
    `);
  });

  it("shows scalar divergences as two lines, and only the changed part of a long object", async () => {
    const result = await replay(async (context) => context.run("only", () => 1));
    const base = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const findings: Finding[] = [
      { kind: "nondeterminism", severity: "error", message: "The sleep changed.", expected: "10m", received: "1h" },
      { kind: "nondeterminism", severity: "error", message: "The call body changed.", expected: base, received: { ...base, k5: "five" } },
    ];
    const text = formatReport(withFindings(result, findings), { color: false, timeline: false });
    expect(text.slice(text.indexOf("The sleep changed."), text.indexOf("Reproduce"))).toMatchInlineSnapshot(`
      "The sleep changed.
           Expected: "10m"
           Received: "1h"
           Hints:
             1. If it is intended: replay(route, { checks: { "nondeterminism": "off" } }), or
                assertReplay(result, { allow: ["nondeterminism"] }).

        ✗ 2. nondeterminism (error)
           The call body changed.
           - Expected  + Received
             …
               "k3": 3,
               "k4": 4,
           -   "k5": 5,
           +   "k5": "five",
               "k6": 6,
               "k7": 7,
             …
           Hints:
             1. If it is intended: replay(route, { checks: { "nondeterminism": "off" } }), or
                assertReplay(result, { allow: ["nondeterminism"] }).

      "
    `);
  });

  it("lists the child runs of context.invoke with their status", async () => {
    const child = async (context: import("@upstash/workflow").WorkflowContext<{ n: number }>) =>
      context.run("double", () => context.requestPayload.n * 2);
    const result = await replay(
      async (context) => {
        const { body } = await context.invoke("kid", { workflow: { routeFunction: child, options: {}, workflowId: "kid" }, body: { n: 21 } });
        return body;
      },
      { workflows: { kid: child } },
    );
    const text = formatReport(result, { color: false });
    expect(text).toMatch(/^Child runs \(context\.invoke\)\n {2}wfr_\w+ · 2 deliveries · ✓ completed → 42$/m);
    expect(text).toContain(`invoke "kid" started a child run`);
  });

  it("still prints the location when the file cannot be read", async () => {
    const result = await replay(async (context) => context.run("only", () => 1));
    const finding: Finding = {
      kind: "nondeterministic-source",
      severity: "warning",
      message: "Math.random() was called outside context.run() in delivery 1.",
      location: { file: "/nowhere/flow.ts", line: 3, column: 9 },
    };
    const text = formatReport(withFindings(result, [finding]), { color: false, timeline: false });
    expect(text).toContain("at /nowhere/flow.ts:3:9\n     Hints:");
    expect(text).toContain("✓ workflow-replay");
  });

  it("colours only when asked, and the plain text is the coloured text without escapes", async () => {
    const result = await replay(async (context) => context.run("only", () => 1));
    const colored = formatReport(result, { color: true });
    const plain = formatReport(result, { color: false });
    expect(colored).toContain("\u001b[");
    expect(plain).not.toContain("\u001b[");
    expect(stripAnsi(colored)).toBe(plain);
  });

  it("follows NO_COLOR and FORCE_COLOR, else the terminal", () => {
    expect(defaultColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(defaultColor({ NO_COLOR: "" }, true)).toBe(true);
    expect(defaultColor({ FORCE_COLOR: "1" }, false)).toBe(true);
    expect(defaultColor({ FORCE_COLOR: "0" }, true)).toBe(false);
    expect(defaultColor({}, false)).toBe(false);
    expect(defaultColor({}, true)).toBe(true);
    expect(defaultColor({ FORCE_TTY: "true" }, false)).toBe(true);
    expect(defaultColor({ FORCE_TTY: "true", NO_COLOR: "1" }, false)).toBe(false);
  });

  it("elides the middle of a long run and truncates long values", async () => {
    const result = await replay(async (context) => {
      for (let i = 0; i < 30; i++) await context.run(`s${i}`, () => "x".repeat(200));
    });
    const text = formatReport(result, { color: false, maxDeliveries: 6, maxValueLength: 20 });
    const rows = text.split("\n").filter((line) => /^\s+#\d+ /.test(line));
    expect(rows.map((r) => r.trim().split(" ")[0])).toEqual(["#1", "#2", "#3", "#29", "#30", "#31"]);
    expect(text).toContain("… 25 deliveries not shown (maxDeliveries: 6) …");
    expect(text).toContain(`ran "s0" → "xxxxxxxxxxxxxxxxxx…`);
  });

  it("says why a run is still waiting", async () => {
    const result = await replay(
      async (context) => {
        await context.sleep("long", "2d");
        await context.run("after", () => 1);
      },
      { until: 86_400_000 },
    );
    expect(result.status).toBe("waiting");
    expect(formatReport(result, { color: false, timeline: false })).toContain("Result  … waiting · the run had not ended");
  });
});
