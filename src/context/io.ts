import type { NotifyResponse, Step } from "@upstash/workflow";

/** A `context.call` request as the SDK submits it to QStash. */
export interface CallSubmission {
  stepId: number;
  stepName: string;
  concurrent: number;
  url: string;
  method: string;
  body: string | undefined;
  headers: Record<string, string>;
  retries: number;
  retryDelay?: string;
  timeout?: string | number;
}

/** A wait registration (`POST /v2/wait/{eventId}`). */
export interface WaitSubmission {
  eventId: string;
  timeout: string;
  step: { stepId: number; stepType: "Wait" | "WaitForWebhook"; stepName: string; concurrent: number; targetStep?: number };
}

/** An invoke of a child workflow (`POST /v2/publish/<child url>`). */
export interface InvokeSubmission {
  workflowId: string;
  url: string;
  body: string | undefined;
  headers: Record<string, string>;
  workflowRunId?: string;
  retries?: number;
  /** `Upstash-Label` of the child run. */
  label?: string | string[];
  step: Step;
}

/**
 * What the code of one delivery can ask of QStash. The in-memory engine implements it directly; the
 * QStash simulator answers the same calls arriving over HTTP.
 */
export interface QStashPort {
  /** Publish a step message to the workflow URL (result step or plan step). */
  submitStep(step: Step, options?: { delay?: number | string; notBefore?: number }): void;
  submitCall(call: CallSubmission): void;
  submitWait(wait: WaitSubmission): void;
  notify(eventId: string, eventData: unknown, workflowRunId?: string): NotifyResponse[];
  submitInvoke(invoke: InvokeSubmission): void;
  /** Base URL and user id used for webhook URLs. */
  webhookBase(): { baseUrl: string; userId: string };
  /** `DELETE /v2/workflows/runs/{id}?cancel=…`: the run completed (with its JSON result) or was cancelled. */
  deleteRun(body: string | undefined, cancel: boolean): void;
}
