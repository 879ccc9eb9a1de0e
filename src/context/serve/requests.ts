import type { Step, WorkflowContext } from "@upstash/workflow";
import type { CallbackPayload, EndpointDelivery, FailurePayload } from "../../engine/wire-types.js";
import { decodeBase64 } from "../../util/base64.js";
import type { QStashPort } from "../io.js";
import type { MockContextInit } from "../mock-context.js";

/**
 * The context a delivery's route sees, from what the request carries. Headers are what the SDK
 * keeps of a delivery's (it drops upstash-workflow-* and proxy headers): the trigger's user
 * headers, the label, and QStash's per-delivery ones; built only when the route asks.
 */
export function contextInit(
  delivery: EndpointDelivery,
  payload: unknown,
  port: QStashPort,
  env: Record<string, string | undefined>,
  qstashClient: WorkflowContext["qstashClient"],
): MockContextInit<unknown> {
  const run = delivery.run;
  let headers: Headers | undefined;
  const buildHeaders = () => {
    if (!headers) {
      headers = new Headers(run.headers);
      if (run.labels.length > 0) headers.set("Upstash-Label", run.labels.join(","));
      headers.set("Upstash-Message-Id", delivery.messageId);
      headers.set("Upstash-Retried", String(delivery.retried));
      headers.set("content-type", "application/json");
    }
    return headers;
  };
  return {
    workflowRunId: run.workflowRunId,
    workflowRunCreatedAt: run.createdAt,
    url: run.url,
    requestPayload: payload,
    headers: buildHeaders,
    captureAbortStack: delivery.invocation <= 1,
    env,
    labels: run.labels,
    retried: delivery.retried,
    qstashClient,
    port,
  };
}

/** The callback body QStash posts for a `context.call`; the SDK JSON-parses it as the dry run's payload. */
export function callbackRequestBody(callback: CallbackPayload): Record<string, unknown> {
  return {
    status: callback.status,
    header: callback.header,
    body: callback.body,
    retried: callback.retried,
    maxRetries: callback.maxRetries,
    sourceMessageId: callback.sourceMessageId,
    url: callback.url,
    method: callback.method,
  };
}

/**
 * The SDK's `handleThirdPartyCallResult`: a failed attempt QStash will retry is acknowledged and
 * dropped (undefined); otherwise the result is the call step to publish.
 */
export function callResultStep(callback: CallbackPayload): Step | undefined {
  const ok = callback.status >= 200 && callback.status < 300;
  if (!ok && callback.maxRetries && callback.retried !== callback.maxRetries) return undefined;
  const out = JSON.stringify({ status: callback.status, body: atob(callback.body ?? ""), header: callback.header });
  return {
    stepId: callback.stepId,
    stepName: callback.stepName,
    stepType: "Call",
    out,
    concurrent: callback.concurrent,
  } as Step;
}

/** The SDK's reading of a failure callback body: the failing error's message and stack. */
export function failureDetails(failure: FailurePayload): { failResponse: string; failStack: string } {
  const decoded = failure.body ? decodeBase64(failure.body) : "{}";
  let failResponse = "";
  let failStack = "";
  try {
    const parsed = JSON.parse(decoded) as { message?: string; stack?: string };
    if (parsed.message) failResponse = parsed.message;
    if (parsed.stack) failStack = parsed.stack;
  } catch {
    // the SDK falls back to the message below
  }
  if (!failResponse) failResponse = `Couldn't parse 'failResponse' in 'failureFunction', received: '${decoded}'`;
  return { failResponse, failStack };
}
