import { describe, expect, it } from "vitest";
import { comparable, runBoth } from "../conformance/both-modes.js";
import { doneEvent, transcode } from "../../examples/dispatch-and-wait/workflow.js";
import { transcoderHandlers } from "../../examples/dispatch-and-wait/handlers.js";
import { onboarding } from "../../examples/hono/app.js";
import { onboardingHandlers } from "../../examples/hono/handlers.js";
import { pipeline } from "../../examples/nextjs-pipeline/workflow.js";
import { pipelineHandlers } from "../../examples/nextjs-pipeline/handlers.js";

/**
 * Issue 2's acceptance: for the three demo workflows, replay() gives the status, output, steps and
 * invocations the real SDK 1.3.3 gives. The real SDK runs as `serve(route).handler` behind the QStash
 * simulator (replayHandler), with the same options, so the two results are compared field by field.
 */
describe("the demo workflows agree with the real SDK", () => {
  it("dynamic pipeline [fetch, summarize, email]", async () => {
    const { mock, real } = await runBoth(() => pipeline as never, {
      payload: { documentId: "doc-1", stages: ["fetch", "summarize", "email"], to: "ops@example.com" },
      handlers: pipelineHandlers().handlers,
    });
    expect(mock.status).toBe("completed");
    expect(mock.invocations).toBe(4);
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("parallel fan-out after a sleep", async () => {
    const { mock, real } = await runBoth(() => onboarding as never, {
      payload: { userId: "u1", email: "ada@example.com", channels: ["slack", "discord", "email"] },
      handlers: onboardingHandlers().handlers,
    });
    expect(mock.status).toBe("completed");
    expect(mock.steps.filter((s) => s.targetStep)).toHaveLength(3);
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("dispatch and wait: context.call then waitForEvent, notified and timed out", async () => {
    const notified = await runBoth(() => transcode as never, {
      payload: { videoId: "v42" },
      handlers: transcoderHandlers().handlers,
      events: { [doneEvent("job-v42")]: { data: { url: "s3://renders/v42/master.m3u8" }, after: "40m" } },
    });
    expect(notified.mock.status).toBe("completed");
    expect(comparable(notified.mock)).toEqual(comparable(notified.real));
    const timedOut = await runBoth(() => transcode as never, {
      payload: { videoId: "v42" },
      handlers: transcoderHandlers().handlers,
    });
    expect(timedOut.mock.output).toMatchObject({ status: "timed-out" });
    expect(comparable(timedOut.mock)).toEqual(comparable(timedOut.real));
  });
});
