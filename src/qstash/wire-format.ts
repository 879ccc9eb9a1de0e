import type { Step } from "@upstash/workflow";
import { AUTH_FAIL_MESSAGE } from "../context/serve/authorization.js";
import type { EndpointDelivery, EndpointResponse } from "../engine/wire-types.js";
import { encodeBase64 } from "../util/base64.js";

/**
 * Every wire detail of a QStash → endpoint request lives here (docs/reference/protocol.md §3.3, §3.4, §3.7):
 * the `RawStep[]` body, the headers QStash sets, and how the SDK's HTTP answer maps back to the model.
 */

/** One entry of a delivery body, as QStash sends it. */
export interface RawStep {
  messageId: string;
  body: string;
  callType: "step" | "toCallback" | "fromCallback";
}

/** The `RawStep[]` of a step delivery: Initial = base64 payload, the rest base64 of each step's JSON. */
export function rawSteps(steps: Step[], messageIds: readonly string[]): RawStep[] {
  return steps.map((step, i) => ({
    messageId: messageIds[i] ?? `msg_${i}`,
    body: i === 0 ? encodeBase64(typeof step.out === "string" ? step.out : "") : encodeBase64(JSON.stringify(step)),
    callType: "step",
  }));
}

/** Headers QStash re-attaches to every delivery of a run: the trigger's user headers and labels. */
function runHeaders(delivery: EndpointDelivery): Headers {
  const run = delivery.run;
  const headers = new Headers();
  for (const [name, value] of Object.entries(run.headers)) headers.set(name, value);
  if (run.labels.length > 0) headers.set("Upstash-Label", run.labels.join(","));
  headers.set("Upstash-Workflow-RunId", run.workflowRunId);
  headers.set("Upstash-Message-Id", delivery.messageId);
  headers.set("Upstash-Retried", String(delivery.retried));
  return headers;
}

/** The request body and headers QStash sends for one delivery (unsigned). */
export function encodeDelivery(delivery: EndpointDelivery): { body: string; headers: Headers } {
  const run = delivery.run;
  const headers = runHeaders(delivery);
  headers.set("content-type", "application/json");
  switch (delivery.kind) {
    case "step": {
      headers.set("Upstash-Workflow-Sdk-Version", "1");
      headers.set("Upstash-Workflow-CreatedAt", String(run.createdAt));
      headers.set("Upstash-Workflow-Url", run.url);
      return { body: JSON.stringify(rawSteps(delivery.steps, run.messageIds)), headers };
    }
    case "callback": {
      const cb = delivery.callback!;
      headers.set("Upstash-Workflow-Callback", "true");
      headers.set("Upstash-Workflow-StepId", String(cb.stepId));
      headers.set("Upstash-Workflow-StepName", cb.stepName);
      headers.set("Upstash-Workflow-StepType", "Call");
      headers.set("Upstash-Workflow-Concurrent", String(cb.concurrent));
      headers.set("Upstash-Workflow-ContentType", cb.contentType);
      const body = {
        status: cb.status,
        header: cb.header,
        body: cb.body,
        retried: cb.retried,
        maxRetries: cb.maxRetries,
        sourceMessageId: cb.sourceMessageId,
        url: cb.url,
        method: cb.method,
      };
      return { body: JSON.stringify(body), headers };
    }
    case "failure-callback": {
      headers.set("Upstash-Workflow-Is-Failure", "true");
      headers.set("Upstash-Workflow-Failure-Callback", "true");
      headers.set("Upstash-Workflow-Init", "false");
      headers.set("Upstash-Workflow-Url", run.url);
      headers.set("Upstash-Workflow-Calltype", "failureCall");
      return { body: JSON.stringify(delivery.failure), headers };
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Maps the endpoint's HTTP answer to what QStash acts on (status, error, step name, Retry-After). */
export async function decodeResponse(response: Response, kind: EndpointDelivery["kind"]): Promise<EndpointResponse> {
  const text = await response.text();
  const json = parseJson(text);
  const status = response.status;
  if (status >= 200 && status < 300) {
    if (kind === "failure-callback") {
      if (response.headers.get("Upstash-Workflow-Failure-Callback-Notfound") === "true") {
        return { status, finishCondition: "failure-callback-undefined" };
      }
      if (json && !("finishCondition" in json)) {
        return { status, finishCondition: "failure-callback-executed", ...(json.result !== undefined ? { result: json.result } : {}) };
      }
    }
    const condition = typeof json?.finishCondition === "string" ? json.finishCondition : undefined;
    return { status, ...(condition ? { finishCondition: condition } : {}) };
  }
  const stepName = response.headers.get("Upstash-Error-Step-Name") ?? undefined;
  const retryAfter = response.headers.get("Retry-After") ?? undefined;
  let error: NonNullable<EndpointResponse["error"]>;
  if (json && typeof json.message === "string") {
    error = {
      name: typeof json.error === "string" ? json.error : "Error",
      message: json.message,
      ...(typeof json.stack === "string" ? { stack: json.stack } : {}),
    };
  } else {
    const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    error = { name: "Error", message: `The endpoint answered ${status}${snippet ? `: ${snippet}` : " with an empty body"}.` };
  }
  let finishCondition: string | undefined;
  if (status === 400 && json?.message === AUTH_FAIL_MESSAGE) finishCondition = "auth-fail";
  else if (status === 489) finishCondition = "non-retryable-error";
  else if (status === 429) finishCondition = "retry-after-error";
  return {
    status,
    error,
    ...(finishCondition ? { finishCondition } : {}),
    ...(stepName ? { stepName } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}
