import type { Step, StepType } from "@upstash/workflow";
import { LazyStep, resultStep, type StepRuntime } from "../lazy-step.js";

export interface Webhook {
  webhookUrl: string;
  eventId: string;
}

/** `context.createWebhook`: records `{ webhookUrl, eventId }` with a seeded event id. */
export class CreateWebhookStep extends LazyStep<Webhook> {
  readonly stepType: StepType = "CreateWebhook";
  protected readonly allowUndefinedOut = false;

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    const { baseUrl, userId } = runtime.port.webhookBase();
    const eventId = `evt_${runtime.randomId(15)}`;
    const webhookUrl = `${baseUrl}/v2/workflows/hooks/${userId}/${runtime.workflowRunId}/${eventId}`;
    const step = resultStep({
      stepId,
      stepName: this.stepName,
      stepType: this.stepType,
      out: JSON.stringify({ webhookUrl, eventId }),
      concurrent,
    });
    runtime.port.submitStep(step);
    return step;
  }
}
