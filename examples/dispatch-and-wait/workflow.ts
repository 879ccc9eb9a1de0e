import { WorkflowNonRetryableError, type RouteFunction } from "@upstash/workflow";

export interface TranscodePayload {
  videoId: string;
}

export type TranscodeOutcome = { status: "published"; url: string } | { status: "timed-out"; jobId: string };

/** The event the transcoding worker sends (`client.notify`) when job `jobId` is done. */
export const doneEvent = (jobId: string) => `transcode-done-${jobId}`;

/**
 * Dispatch and wait: start a long job with `context.call` (QStash makes the request and calls back
 * with the response, so the function does not wait on an open connection), then wait for the
 * worker's notify. If it does not come within two hours, cancel the job.
 *
 * Note: during a `context.call` callback, code before the first step sees the callback body as
 * `context.requestPayload`. This workflow only destructures it; it dereferences nothing there.
 */
export const transcode: RouteFunction<TranscodePayload, TranscodeOutcome> = async (context) => {
  const { videoId } = context.requestPayload ?? {};
  const job = await context.call<{ jobId: string }>("start-transcode", {
    url: "https://transcoder.example.com/jobs",
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": `transcode:${videoId}` },
    body: JSON.stringify({ videoId, formats: ["1080p", "480p"] }),
  });
  if (job.status !== 202) throw new WorkflowNonRetryableError(`the transcoder refused video ${videoId}: ${job.status}`);
  const { jobId } = job.body;

  const { eventData, timeout } = await context.waitForEvent<{ url: string }>("wait-for-transcode", doneEvent(jobId), {
    timeout: "2h",
  });
  if (timeout) {
    await context.run("cancel-job", async () => {
      await fetch(`https://transcoder.example.com/jobs/${jobId}`, { method: "DELETE" });
    });
    return { status: "timed-out", jobId };
  }
  const url = await context.run("publish", () => `https://cdn.example.com/${videoId}/${eventData.url.split("/").pop()}`);
  return { status: "published", url };
};
