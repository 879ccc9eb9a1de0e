import type { Step } from "@upstash/workflow";
import type { QStashPort } from "../context/io.js";
import type { DeliveryRecord, ReplayError, RunStatus } from "../types.js";

/** The callback QStash posts after performing a `context.call`. */
export interface CallbackPayload {
  status: number;
  header: Record<string, string[]>;
  /** base64 of the response bytes */
  body: string;
  retried: number;
  maxRetries: number;
  url: string;
  method: string;
  sourceMessageId: string;
  stepId: number;
  stepName: string;
  concurrent: number;
  contentType: string;
}

/** The body QStash posts to the failure callback. */
export interface FailurePayload {
  status: number;
  header: Record<string, string[]>;
  /** base64 of the failing response body */
  body: string;
  url: string;
  sourceBody: string;
  workflowRunId: string;
  workflowCreatedAt: number;
  sourceMessageId: string;
}

/** What one request to the endpoint carries. */
export interface EndpointDelivery {
  run: RunState;
  invocation: number;
  kind: "step" | "callback" | "failure-callback";
  retried: number;
  messageId: string;
  /** For step deliveries: the history up to and including the delivered message (Initial first). */
  steps: Step[];
  callback?: CallbackPayload;
  failure?: FailurePayload;
  port: QStashPort;
  /** Aborted when the function host stops the delivery (it ran past `host.maxDuration`). */
  stop?: AbortSignal;
}

/** What the endpoint answered. */
export interface EndpointResponse {
  status: number;
  finishCondition?: string;
  error?: { name: string; message: string; stack?: string };
  stepName?: string;
  retryAfter?: string | number;
  /** The failure function's return value. */
  result?: unknown;
  /** Names served from history in this delivery (for the report). */
  replayed?: string[];
  /** Set when the function host stopped the delivery at its maxDuration. */
  hostTimeout?: DeliveryRecord["hostTimeout"];
}

/** Something that answers deliveries: the in-memory route runner or a real `serve()` handler. */
export interface Endpoint {
  deliver(delivery: EndpointDelivery): Promise<EndpointResponse>;
  /** Whether a failure callback is configured (QStash only calls it then). */
  hasFailureCallback(): boolean;
}

/** What starting a run needs. */
export interface RunConfig {
  workflowRunId: string;
  url: string;
  payload: string | undefined;
  headers: Record<string, string>;
  labels: string[];
  retries: number;
  endpoint: Endpoint;
  workflowId?: string;
  parent?: { runId: string; step: Step };
}

/** One workflow run as QStash holds it. */
export interface RunState extends RunConfig {
  createdAt: number;
  /** Published step messages in publish order; [0] is the Initial step. */
  log: Step[];
  messageIds: string[];
  status: RunStatus | "running";
  output?: string;
  error?: ReplayError;
  invocations: number;
  deliveries: DeliveryRecord[];
  endedAt?: number;
  failureFunctionResult?: unknown;
  /** createWebhook event ids → step names */
  webhookSteps: Map<string, string>;
  /** Events notified for this run before anyone waited (lookback). */
  lookback: Map<string, string>;
  /** Every request QStash performed for a `context.call` of this run, with its virtual duration. */
  calls: CallRecord[];
}

/** One request QStash made to a `context.call` target. */
export interface CallRecord {
  stepName: string;
  stepId: number;
  url: string;
  attempt: number;
  status: number;
  /** Virtual time the target took to answer, ms. */
  durationMs: number;
}

/** Response headers the way QStash forwards them: canonical names, array values. */
export function headerRecord(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  headers.forEach((value, key) => {
    const name = canonicalHeaderName(key);
    (out[name] ??= []).push(value);
  });
  return out;
}

/** `content-type` → `Content-Type`, as QStash spells forwarded header names. */
export function canonicalHeaderName(name: string): string {
  return name
    .split("-")
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part))
    .join("-");
}
