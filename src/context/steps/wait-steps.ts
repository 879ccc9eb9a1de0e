import type { Step, WaitStepResponse } from "@upstash/workflow";
import type { StepInputs } from "../../engine/observer.js";
import { decodeBase64 } from "../../util/base64.js";
import { LazyStep, resultStep, tryParsing, type StepRuntime } from "../lazy-step.js";

/** Shared by `waitForEvent` and `waitForWebhook`: registers a waiter with QStash. */
abstract class WaitLikeStep<T> extends LazyStep<T> {
  protected readonly allowUndefinedOut = true;
  abstract override readonly stepType: "Wait" | "WaitForWebhook";

  constructor(
    stepName: string,
    readonly eventId: string,
    readonly timeout: string,
  ) {
    super(stepName);
  }

  override inputs(): StepInputs {
    return { waitEventId: this.eventId, timeout: this.timeout };
  }

  protected override planFields(): Partial<Step> {
    return { waitEventId: this.eventId, timeout: this.timeout } as Partial<Step>;
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    runtime.port.submitWait({
      eventId: this.eventId,
      timeout: this.timeout,
      step: { stepId, stepType: this.stepType, stepName: this.stepName, concurrent },
    });
    return resultStep({
      stepId,
      stepName: this.stepName,
      stepType: this.stepType,
      waitEventId: this.eventId,
      timeout: this.timeout,
      concurrent,
    });
  }
}

/** `context.waitForEvent`: `{ eventData, timeout }` from the recorded base64 body. */
export class WaitForEventStep<T> extends WaitLikeStep<WaitStepResponse<T>> {
  readonly stepType = "Wait" as const;

  private parse(out: string | undefined, waitTimeout: boolean | undefined): WaitStepResponse<T> {
    return {
      eventData: (out ? tryParsing(decodeBase64(out)) : undefined) as T,
      timeout: waitTimeout ?? false,
    } as WaitStepResponse<T>;
  }

  protected override safeParseOut(out: string, step: Step): WaitStepResponse<T> {
    return this.parse(out, step.waitTimeout);
  }

  protected override handleUndefinedOut(step: Step): WaitStepResponse<T> {
    return this.parse(undefined, step.waitTimeout);
  }
}

export type WebhookWaitResult = { timeout: false; request: Request } | { timeout: true; request: undefined };

/** `context.waitForWebhook`: rebuilds the webhook `Request` from the recorded body. */
export class WaitForWebhookStep extends WaitLikeStep<WebhookWaitResult> {
  readonly stepType = "WaitForWebhook" as const;

  protected override safeParseOut(out: string): WebhookWaitResult {
    const event = tryParsing(decodeBase64(out)) as {
      method: string;
      header: Record<string, string[]>;
      body?: string;
      proto: string;
      host: string;
      url: string;
    };
    const body = typeof event.body === "string" ? decodeBase64(event.body) : undefined;
    const method = event.method.toUpperCase();
    const canHaveBody = method !== "GET" && method !== "HEAD";
    const request = new Request(`${event.proto}://${event.host}${event.url}`, {
      method: event.method,
      headers: event.header as unknown as Record<string, string>,
      body: canHaveBody ? body : undefined,
    });
    return { request, timeout: false };
  }

  protected override handleUndefinedOut(): WebhookWaitResult {
    return { timeout: true, request: undefined };
  }
}
