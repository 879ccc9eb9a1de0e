import type { RawStep, Step } from "@upstash/workflow";
import { OPTION_DEFAULTS } from "../defaults.js";
import type { RecordedHistory } from "../types.js";
import { decodeBase64 } from "../util/base64.js";
import { parseLabels } from "../util/labels.js";
import { HistoryError } from "./errors.js";
import { checked } from "./format.js";
import { HISTORY_FORMAT } from "./validate.js";

/** A captured request QStash made to the workflow endpoint. */
export interface CapturedDelivery {
  /** The raw request body: the JSON `RawStep[]` QStash sends (a string), or the parsed array. */
  body: string | RawStep[];
  /** The request headers (`Upstash-Workflow-RunId` is required). */
  headers: Headers | Record<string, string>;
  /** The request URL (the workflow URL). Default `https://workflow-replay.test/api/workflow`. */
  url?: string;
  /** Header names whose values are replaced by `"[redacted]"` in the history (case-insensitive). */
  redactHeaders?: string[];
}

/** Marker written instead of a redacted header value. */
export const REDACTED = "[redacted]";

/**
 * Headers QStash or the hosting platform adds to a delivery. Everything else is a user header
 * QStash forwards from the trigger (and `context.headers` shows it), so it is kept.
 */
const TRANSPORT_HEADERS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "accept-encoding",
  "user-agent",
  "keep-alive",
  "via",
  "forwarded",
  "cf-connecting-ip",
  "cdn-loop",
  "cf-ew-via",
  "cf-ray",
  "cf-ipcountry",
  "cf-visitor",
  "render-proxy-ttl",
  "true-client-ip",
  "x-real-ip",
]);
const TRANSPORT_PREFIXES = ["upstash-", "x-forwarded-", "x-vercel-", "x-amz-", "x-amzn-"];

function headerEntries(headers: Headers | Record<string, string>): Array<[string, string]> {
  if (headers instanceof Headers) {
    const out: Array<[string, string]> = [];
    headers.forEach((value, key) => out.push([key, value]));
    return out;
  }
  return Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]);
}

/** The user headers of a delivery (what the trigger forwarded), with `redact` applied. */
export function userHeaders(headers: Headers | Record<string, string>, redact: string[] = []): Record<string, string> {
  const hidden = new Set(redact.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of headerEntries(headers)) {
    if (TRANSPORT_HEADERS.has(name) || TRANSPORT_PREFIXES.some((p) => name.startsWith(p))) continue;
    out[name] = hidden.has(name) ? REDACTED : value;
  }
  return out;
}

function isRawStep(value: unknown): value is RawStep {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.body === "string" && typeof v.callType === "string";
}

function decodeStep(raw: RawStep, index: number): Step {
  let text: string;
  try {
    text = decodeBase64(raw.body);
    return JSON.parse(text) as Step;
  } catch (error) {
    throw new HistoryError(
      `Failed to import delivery: body[${index}].body is not base64 of a step's JSON (${(error as Error).message}). Capture the raw request body unchanged.`,
      `body[${index}].body`,
    );
  }
}

/**
 * Builds a history from a captured QStash delivery: the raw `RawStep[]` body of a request to the
 * workflow endpoint, with its headers. This is the most faithful production record: it is exactly
 * what `serve()` parses. Like the SDK's `processRawSteps`, the first entry is the trigger payload
 * (base64), entries whose `callType` is not `"step"` (`toCallback`, `fromCallback`) are dropped, and
 * every other body is base64 step JSON, kept in delivery order.
 *
 * @example
 * ```ts
 * import { historyFromDelivery, saveHistory } from "workflow-replay";
 *
 * // body and headers of a request QStash made to /api/workflow, captured in production
 * const history = historyFromDelivery({ body, headers, url: "https://example.com/api/workflow", redactHeaders: ["authorization"] });
 * await saveHistory(`fixtures/${history.workflowRunId}.json`, history);
 * ```
 */
export function historyFromDelivery(delivery: CapturedDelivery): RecordedHistory {
  const headers = delivery.headers instanceof Headers ? delivery.headers : new Headers(delivery.headers as Record<string, string>);
  const runId = headers.get("upstash-workflow-runid");
  if (!runId) {
    throw new HistoryError(
      "Failed to import delivery: the Upstash-Workflow-RunId header is missing. Capture the headers of a request QStash made to the workflow endpoint, not of the trigger call.",
      "headers",
    );
  }
  if (headers.get("upstash-workflow-callback")) {
    throw new HistoryError(
      "Failed to import delivery: it is a context.call callback (Upstash-Workflow-Callback), whose body is the call's response, not the run's steps. Capture step deliveries only.",
      "headers",
    );
  }
  let raw: unknown = delivery.body;
  if (typeof raw === "string") {
    if (raw.trim() === "") {
      throw new HistoryError(
        `Failed to import delivery: the body is empty. QStash sent it for a lazy fetch (the SDK then GETs /v2/workflows/runs/${runId}); capture a delivery with a body, or fetch that endpoint's RawStep[] and pass it as the body.`,
        "body",
      );
    }
    try {
      raw = JSON.parse(raw);
    } catch (error) {
      throw new HistoryError(`Failed to import delivery: the body is not JSON (${(error as Error).message}). Pass the raw request body unchanged.`, "body");
    }
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new HistoryError("Failed to import delivery: the body must be a non-empty RawStep[] array (what QStash sends to the workflow endpoint).", "body");
  }
  raw.forEach((entry, i) => {
    if (!isRawStep(entry)) {
      throw new HistoryError(`Failed to import delivery: body[${i}] is not a RawStep ({ messageId, body, callType }).`, `body[${i}]`);
    }
  });
  const [initial, ...rest] = raw as RawStep[];
  const payload = decodeBase64(initial!.body);
  const steps: Step[] = [{ stepId: 0, stepName: "init", stepType: "Initial", out: payload, concurrent: 1 } as Step];
  rest.forEach((entry, i) => {
    if (entry.callType === "step") steps.push(decodeStep(entry, i + 1));
  });
  const createdAt = Number(headers.get("upstash-workflow-createdat") ?? 0);
  const label = headers.get("upstash-label");
  const history: RecordedHistory = {
    format: HISTORY_FORMAT,
    source: "delivery",
    workflowRunId: runId,
    workflowUrl: delivery.url ?? OPTION_DEFAULTS.url,
    createdAt: Number.isFinite(createdAt) ? createdAt : 0,
    ...(label ? { labels: parseLabels(label) } : {}),
    payload,
    headers: userHeaders(headers, delivery.redactHeaders),
    steps,
  };
  return checked(history, "import delivery");
}
