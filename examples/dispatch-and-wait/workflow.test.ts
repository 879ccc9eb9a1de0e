import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { transcoderHandlers } from "./handlers";
import { doneEvent, transcode } from "./workflow";

expect.extend(matchers);

const payload = { videoId: "v42" };
const HOUR = 3_600_000;

describe("dispatch and wait", () => {
  it("publishes when the worker notifies 40 minutes after the job started", async () => {
    const { handlers, log } = transcoderHandlers();
    const result = await replay(transcode, {
      payload,
      handlers,
      events: { [doneEvent("job-v42")]: { data: { url: "s3://renders/v42/master.m3u8" }, after: "40m" } },
    });
    expect(result).toCompleteWith({ status: "published", url: "https://cdn.example.com/v42/master.m3u8" });
    expect(result).toHaveRunSteps(["start-transcode", "wait-for-transcode", "publish"]);
    expect(result).toHaveNoFindings();
    expect(log).toEqual(["start v42"]);
    const waited = result.deliveries.at(-1)!.at - result.deliveries.find((d) => d.kind === "callback")!.at;
    expect(waited).toBeGreaterThanOrEqual(40 * 60_000);
    expect(waited).toBeLessThan(HOUR);
  });

  it("cancels the job when no notify arrives within two hours", async () => {
    const { handlers, log } = transcoderHandlers();
    const result = await replay(transcode, { payload, handlers });
    expect(result).toCompleteWith({ status: "timed-out", jobId: "job-v42" });
    expect(result).toHaveRunSteps(["start-transcode", "wait-for-transcode", "cancel-job"]);
    expect(log).toEqual(["start v42", "cancel job-v42"]);
    const wait = result.steps.find((s) => s.stepName === "wait-for-transcode" && s.stepId > 0) as { waitTimeout?: boolean };
    expect(wait.waitTimeout).toBe(true);
  });

  it("times out too when the notify comes after the deadline", async () => {
    const { handlers } = transcoderHandlers();
    const result = await replay(transcode, {
      payload,
      handlers,
      events: { [doneEvent("job-v42")]: { data: { url: "s3://late" }, after: "3h" } },
    });
    expect(result).toCompleteWith({ status: "timed-out", jobId: "job-v42" });
  });

  it("fails without retries when the transcoder refuses the job", async () => {
    const result = await replay(transcode, { payload, handlers: transcoderHandlers({ refuse: true }).handlers });
    expect(result).toHaveStatus("failed");
    expect(result.error).toMatchObject({ name: "WorkflowNonRetryableError", status: 489 });
    expect(result.deliveries.every((d) => d.retried === 0)).toBe(true);
  });
});
