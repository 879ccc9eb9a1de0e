// The seed's questions, as workflows: will it fit on my plan, and what will one run cost?
// Time inside the steps is simulated: a minute of `setTimeout` or msw `delay()` passes on the virtual clock.
import type { WorkflowContext } from "@upstash/workflow";

const minutes = (n: number) => new Promise<void>((resolve) => setTimeout(resolve, n * 60_000));

/** Five steps of a minute each (an API that takes a minute to answer, five times). */
export async function fiveMinuteSteps(context: WorkflowContext) {
  let total = 0;
  for (let i = 1; i <= 5; i++) {
    total += await context.run(`chunk ${i}`, async () => {
      await minutes(1);
      return i;
    });
  }
  return total;
}

/** One 8-minute step: a video transcode run inside the function. */
export async function eightMinuteStep(context: WorkflowContext<{ video: string }>) {
  return await context.run("transcode", async () => {
    await minutes(8);
    return `${context.requestPayload.video}.mp4`;
  });
}

/** A one-hour job run inline: the function waits for all of it. */
export async function oneHourInline(context: WorkflowContext<{ dataset: string }>) {
  return await context.run("train model", async () => {
    await minutes(60);
    return { model: `${context.requestPayload.dataset}-v1` };
  });
}

export const JOBS_URL = "https://jobs.example.com/train";

/**
 * The same hour as dispatch-and-wait: `context.call` starts the job (it answers at once), and the
 * run waits for the job's own `notify` with `waitForEvent`. No function runs while the job does.
 */
export async function oneHourDispatchAndWait(context: WorkflowContext<{ dataset: string }>) {
  const eventId = `train-${context.workflowRunId}`;
  await context.call("start training", { url: JOBS_URL, method: "POST", body: JSON.stringify({ dataset: context.requestPayload.dataset, eventId }) });
  const { eventData, timeout } = await context.waitForEvent("training done", eventId, { timeout: "2h" });
  if (timeout) throw new Error("training did not report back within 2 hours");
  return eventData as { model: string };
}

/** A dynamic pipeline: one step per stage the payload names (here ten). */
export async function dynamicPipeline(context: WorkflowContext<{ stages: string[] }>) {
  const done: string[] = [];
  for (const stage of context.requestPayload.stages) {
    done.push(await context.run(stage, () => `${stage}: ok`));
  }
  return done.length;
}
