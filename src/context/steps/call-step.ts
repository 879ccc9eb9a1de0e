import { QstashError } from "@upstash/qstash";
import type { CallResponse, Step, StepType } from "@upstash/workflow";
import type { StepInputs } from "../../engine/observer.js";
import type { CallSubmission } from "../io.js";
import { LazyStep, resultStep, tryParsing, type StepRuntime } from "../lazy-step.js";

const TEXT_APPLICATION_TYPES = [
  "application/json",
  "application/xml",
  "application/javascript",
  "application/x-www-form-urlencoded",
  "application/xhtml+xml",
  "application/ld+json",
  "application/rss+xml",
  "application/atom+xml",
];

/** The SDK's rule for which call responses are decoded as UTF-8 text (and JSON-parsed when possible). */
export function isTextContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  if (TEXT_APPLICATION_TYPES.some((type) => contentType.includes(type))) return true;
  return contentType.startsWith("text/");
}

/** Flow control as the SDK takes it (`call`, `call({ workflow })`, `invoke`). */
export interface FlowControlSettings {
  key?: string;
  parallelism?: number;
  rate?: number;
  ratePerSecond?: number;
  period?: number | string;
}

/**
 * The SDK's `prepareFlowControl` check, made when the step is submitted: a flow control with neither
 * parallelism, rate nor period is rejected with QStash's error (the request fails with 500).
 */
export function checkFlowControl(flowControl: FlowControlSettings | undefined): void {
  if (!flowControl) return;
  const rate = flowControl.rate ?? flowControl.ratePerSecond;
  if (!flowControl.parallelism && !rate && !flowControl.period) {
    throw new QstashError("Provide at least one of parallelism or ratePerSecond for flowControl");
  }
}

/** The request as submitted to QStash (without the step's position), plus flow control, checked at execution. */
export type CallStepParams = Omit<CallSubmission, "stepId" | "stepName" | "concurrent"> & { flowControl?: FlowControlSettings };

/** `context.call`: QStash performs the request and posts the response back as a callback. */
export class CallStep<T> extends LazyStep<CallResponse<T>> {
  readonly stepType: StepType = "Call";
  protected readonly allowUndefinedOut = false;

  constructor(
    stepName: string,
    readonly params: CallStepParams,
  ) {
    super(stepName);
  }

  override inputs(): StepInputs {
    const { url, method, body, headers } = this.params;
    return { callUrl: url, callMethod: method, callBody: body, callHeaders: headers };
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    const p = this.params;
    checkFlowControl(p.flowControl);
    runtime.port.submitCall({
      stepId,
      stepName: this.stepName,
      concurrent,
      url: p.url,
      method: p.method,
      body: p.body,
      headers: p.headers,
      retries: p.retries,
      retryDelay: p.retryDelay,
      timeout: p.timeout,
    });
    return resultStep({
      stepId,
      stepName: this.stepName,
      stepType: this.stepType,
      concurrent,
      callUrl: p.url,
      callMethod: p.method,
      callBody: p.body,
      callHeaders: p.headers,
    });
  }

  protected override safeParseOut(out: string): CallResponse<T> {
    const { header, status, body } = JSON.parse(out) as { header: Record<string, string[]>; status: number; body: string };
    const headers = new Headers(header as unknown as Record<string, string>);
    if (isTextContentType(headers.get("content-type"))) {
      const bytes = new Uint8Array(out.length);
      for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
      const decoded = new TextDecoder().decode(bytes);
      const newBody = (JSON.parse(decoded) as { body: string }).body;
      return { status, header, body: tryParsing(newBody) as T };
    }
    return { header, status, body: body as T };
  }
}
