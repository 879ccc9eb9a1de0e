import type { RecordedHistory } from "../types.js";
import { historyFromDelivery } from "./from-delivery.js";

/** Options of {@link captureDeliveries}. */
export interface CaptureOptions {
  /**
   * Stores one captured history. Called after the handler answered, once per step delivery; a
   * later delivery of the same run holds a longer history, so keying by `workflowRunId` keeps the
   * latest. Errors are passed to `onError` and never reach the response.
   */
  write: (history: RecordedHistory, request: Request) => void | Promise<void>;
  /** Header names (any case) whose values are replaced by "[redacted]": tokens, cookies. */
  redactHeaders?: string[];
  /** Capture only some deliveries (e.g. a sample); default all. */
  filter?: (request: Request) => boolean;
  /** Called when a delivery cannot be captured. Default: console.warn. */
  onError?: (error: unknown, request: Request) => void;
}

/** A step delivery from QStash (not a trigger, a call callback or a failure callback). */
function isStepDelivery(request: Request): boolean {
  const h = request.headers;
  return (
    request.method === "POST" &&
    h.has("upstash-workflow-runid") &&
    h.get("upstash-workflow-sdk-version") === "1" &&
    !h.has("upstash-workflow-callback") &&
    !h.has("upstash-workflow-failure-callback")
  );
}

/**
 * Wraps a workflow handler (`(request) => Promise<Response>`, e.g. what `serve()` returns) so that
 * every step delivery QStash makes is also written as a recorded history — the raw `RawStep[]`
 * body, the most faithful production record. The request is cloned before the handler reads it;
 * the response is returned unchanged.
 *
 * @example
 * ```ts
 * import { serve } from "@upstash/workflow/nextjs";
 * import { captureDeliveries, saveHistory } from "workflow-replay";
 *
 * const { POST: handler } = serve(orderWorkflow);
 * export const POST = process.env.CAPTURE_HISTORIES
 *   ? captureDeliveries(handler, {
 *       redactHeaders: ["authorization", "cookie"],
 *       write: (history) => saveHistory(`/tmp/histories/${history.workflowRunId}.json`, history),
 *     })
 *   : handler;
 * ```
 */
export function captureDeliveries<TArgs extends unknown[]>(
  handler: (request: Request, ...rest: TArgs) => Promise<Response>,
  options: CaptureOptions,
): (request: Request, ...rest: TArgs) => Promise<Response> {
  if (typeof handler !== "function") {
    throw new TypeError("[workflow-replay] Failed to capture deliveries: the handler must be a function (request) => Promise<Response>.");
  }
  if (!options || typeof options.write !== "function") {
    throw new TypeError("[workflow-replay] Failed to capture deliveries: pass a write(history) function in the options.");
  }
  const onError =
    options.onError ??
    ((error: unknown) => console.warn(`[workflow-replay] Failed to capture a delivery: ${(error as Error)?.message ?? String(error)}`));
  return async (request: Request, ...rest: TArgs): Promise<Response> => {
    const wanted = isStepDelivery(request) && (options.filter?.(request) ?? true);
    const copy = wanted ? request.clone() : undefined;
    const response = await handler(request, ...rest);
    if (copy) {
      try {
        const body = await copy.text();
        if (body !== "") {
          const history = historyFromDelivery({ body, headers: copy.headers, url: copy.url, redactHeaders: options.redactHeaders });
          await options.write({ ...history, recordedAt: new Date().toISOString() }, copy);
        }
      } catch (error) {
        onError(error, copy);
      }
    }
    return response;
  };
}
