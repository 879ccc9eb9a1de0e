import { serve } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { simulatorEnv } from "../../src/qstash/env.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";
import { caseOf, CORPUS_FILE, itStaysCleanOnCorrectCases, onlyFinding, pinned, runCase, sourceAt } from "./helpers.js";

const kind = "callback-dry-run";

describe("callback-dry-run", () => {
  it("names the callback dry run and the error thrown there", async () => {
    const result = await runCase(caseOf(kind, "reads the trigger payload before the first step"));
    expect(result.status).toBe("failed");
    const finding = await onlyFinding(kind, "reads the trigger payload before the first step");
    expect(finding.severity).toBe("error");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"The context.call callback (delivery 2) failed with TypeError: Cannot read properties of undefined (reading 'id') at corpus.ts:<line> (2 callback deliveries failed). In a callback delivery the SDK runs the workflow only up to its first step (the auth dry run), and hands it the callback's body as context.requestPayload instead of the trigger's payload, so code before the first step that reads the payload breaks there: the callback is retried until it gives up, the call's result is never recorded and the run fails (as it did here). Read the payload inside a step and use the step's result (const { user } = await context.run("read-payload", () => context.requestPayload)), or guard the code before the first step against another payload."`);
    // where the code throws when handed a callback body (a locating pass)
    expect(finding.location?.file).toBe(CORPUS_FILE);
    expect(sourceAt(finding.location)).toMatch(/^id;/);
  });

  it("is seen through a real serve() handler too", async () => {
    const { handler } = serve(
      async (context) => {
        const id = (context.requestPayload as { user: { id: string } }).user.id;
        const profile = await context.call("fetch-profile", { url: "https://api.test/p", method: "GET" });
        await context.run("save", () => `${id}:${profile.status}`);
      },
      { env: simulatorEnv() },
    );
    const result = await replayHandler(handler, { payload: { user: { id: "u1" } }, handlers: [http.get("https://api.test/p", () => HttpResponse.json({}))], retries: 0 });
    expect(result.findings.map((f) => [f.kind, f.severity])).toEqual([[kind, "error"]]);
  });

  itStaysCleanOnCorrectCases(kind);
});
