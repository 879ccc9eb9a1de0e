// The example of docs/guide/fuzzing.md ("Fuzzing dynamic pipelines"), verbatim.
import type { WorkflowContext } from "@upstash/workflow";
import fc from "fast-check";
import { http, HttpResponse } from "msw";
import { it } from "vitest";
import { assertReplayProperty, faults, pipeline, replayProperty } from "workflow-replay/fast-check";

type Payload = { pipeline: Array<"fetch" | "summarize" | "email"> };

const route = async (context: WorkflowContext<Payload>) => {
  let text = "";
  for (const [i, stage] of context.requestPayload.pipeline.entries()) {
    // name it `stage` alone and, with checks: { "duplicate-step-name": "error" }, the property fails, shrunk to ["fetch","fetch"]
    text = await context.run(`${stage}-${i}`, async () => {
      if (stage !== "email") return `${text}>${stage}`;
      await fetch("https://mail.test/send", {
        method: "POST",
        // drop this header and the property fails: non-idempotent-step, shrunk to one fault on this step
        headers: { "Idempotency-Key": `${context.workflowRunId}-${i}` },
        body: text,
      });
      return text;
    });
  }
  return text;
};

it("runs every pipeline to completion, under faults", async () => {
  await assertReplayProperty(
    replayProperty(route, {
      payload: fc.record({ pipeline: pipeline(["fetch", "summarize", "email"], { minLength: 1, maxLength: 6 }) }),
      faults: faults({ steps: 6 }),
      handlers: [http.post("https://mail.test/send", () => HttpResponse.json({ queued: true }))],
    }),
    { numRuns: 300 },
  );
}, 60_000); // 300 runs under faults take a few seconds: more than vitest's 5 s default on a slow or busy machine
