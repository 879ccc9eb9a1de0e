import { serve } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";
import { caseOf, CORPUS_FILE, itStaysCleanOnCorrectCases, onlyFinding, pinned, runCase, sourceAt } from "./helpers.js";

const kind = "early-return";

describe("early-return", () => {
  it("explains the 400 a route gets when it returns before its first step", async () => {
    const finding = await onlyFinding(kind, "returns before its first step");
    expect(finding.severity).toBe("error");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The workflow function returned without reaching a step in delivery 1 (its last use of the context before returning: corpus.ts:<line>) (the run's first delivery): before every delivery the SDK runs the route up to its first step, and a route that returns instead is answered 400 "Failed to authenticate Workflow request". No step runs in that delivery; QStash retries it (2 such answers in this run) and the run fails (as it did here). An empty dynamic pipeline or a guard such as if (!user) return before any step ends every delivery this way. Make every path reach a step: move the check into a step and branch on its result (const ok = await context.run("check", () => ...); if (!ok) return), or reject the request before it reaches serve()."`);
    // the locating pass: the user's last use of the context before the return
    expect(finding.location?.file).toBe(CORPUS_FILE);
    expect(sourceAt(finding.location)).toMatch(/^requestPayload as \{ user\?: string \}/);
    const result = await runCase(caseOf(kind, "returns before its first step"));
    expect(result.status).toBe("failed");
  });

  it("names the recorded steps a later delivery returned before", async () => {
    const finding = await onlyFinding(kind, "returns past recorded steps");
    const result = await runCase(caseOf(kind, "returns past recorded steps"));
    expect(result).toMatchObject({ status: "completed", output: "expired" });
    expect(finding).toMatchObject({ severity: "error", stepName: "charge", expected: { steps: ["start", "charge", "cool-off"] }, received: { replayed: ["start"] } });
    expect(finding.message).toContain(`"charge", "cool-off" were recorded by earlier deliveries but never reached`);
    expect(finding.message).toContain(`completes with output "expired"`);
  });

  it("reports a route that reaches no step through a real serve() handler too", async () => {
    const { handler } = serve(
      async (context) => {
        const { user } = context.requestPayload as { user?: string };
        if (!user) return;
        await context.run("greet", () => user);
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler, { payload: {}, retries: 0 });
    expect(result.findings.map((f) => [f.kind, f.severity])).toEqual([[kind, "error"]]);
  });

  itStaysCleanOnCorrectCases(kind);
});
