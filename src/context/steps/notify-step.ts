import type { NotifyStepResponse, StepType } from "@upstash/workflow";
import type { StepInputs } from "../../engine/observer.js";
import { tryParsing } from "../lazy-step.js";
import { RunStep } from "./run-step.js";
import type { QStashPort } from "../io.js";

/** `context.notify`: a function step that calls `/v2/notify` and records the response. */
export class NotifyStep extends RunStep<NotifyStepResponse> {
  override readonly stepType: StepType = "Notify";

  constructor(
    stepName: string,
    readonly eventId: string,
    readonly eventData: unknown,
    port: () => QStashPort,
    readonly workflowRunId?: string,
  ) {
    super(stepName, async () => {
      const notifyResponse = port().notify(eventId, eventData, workflowRunId);
      return { eventId, eventData, notifyResponse } as NotifyStepResponse;
    });
  }

  override inputs(): StepInputs {
    return { notifyEventId: this.eventId, eventData: this.eventData, workflowRunId: this.workflowRunId };
  }

  protected override safeParseOut(out: string): NotifyStepResponse {
    const result = JSON.parse(out) as NotifyStepResponse;
    return { ...result, eventData: tryParsing(result.eventData) } as NotifyStepResponse;
  }
}
