import { WorkflowError, type InvokeStepResponse, type Step, type StepType } from "@upstash/workflow";
import type { StepInputs } from "../../engine/observer.js";
import { LazyStep, resultStep, tryParsing, type StepRuntime } from "../lazy-step.js";
import { checkFlowControl, type FlowControlSettings } from "./call-step.js";

export interface InvokeStepParams {
  workflowId: string | undefined;
  body: unknown;
  headers?: Record<string, string>;
  workflowRunId?: string;
  retries?: number;
  flowControl?: FlowControlSettings;
  label?: string | string[];
}

/** `context.invoke`: starts a child run; its result is appended by QStash when the child ends. */
export class InvokeStep<T> extends LazyStep<InvokeStepResponse<T>> {
  readonly stepType: StepType = "Invoke";
  protected readonly allowUndefinedOut = false;
  readonly workflowId: string;

  constructor(
    stepName: string,
    readonly params: InvokeStepParams,
  ) {
    super(stepName);
    if (!params.workflowId) throw new WorkflowError("You can only invoke workflow which has a workflowId");
    this.workflowId = params.workflowId;
  }

  override inputs(): StepInputs {
    return { invokeWorkflowId: this.workflowId, invokeBody: this.params.body };
  }

  async execute(runtime: StepRuntime, concurrent: number, stepId: number): Promise<Step> {
    checkFlowControl(this.params.flowControl);
    const step = resultStep({ stepId, stepName: this.stepName, stepType: this.stepType, concurrent });
    const body = this.params.body;
    runtime.port.submitInvoke({
      workflowId: this.workflowId,
      url: runtime.url.replace(/[^/]+$/, this.workflowId),
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      headers: this.params.headers ?? {},
      workflowRunId: this.params.workflowRunId,
      retries: this.params.retries,
      ...(this.params.label !== undefined ? { label: this.params.label } : {}),
      step,
    });
    return step;
  }

  protected override safeParseOut(out: string): InvokeStepResponse<T> {
    const result = JSON.parse(out) as InvokeStepResponse<T>;
    return { ...result, body: tryParsing(result.body) as T };
  }
}
