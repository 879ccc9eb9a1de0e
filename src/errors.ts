import { WorkflowAbort } from "@upstash/workflow";

/** Thrown by workflow-replay for misuse (bad options, a route that is not a function). */
export class ReplayUsageError extends Error {
  constructor(message: string) {
    super(`[workflow-replay] ${message}`);
    this.name = "ReplayUsageError";
  }
}

/**
 * The dry-run abort. The SDK's `WorkflowAuthError` is not exported, so the harness has its own with
 * the SDK's name and message; it extends the SDK's exported `WorkflowAbort`, so `instanceof` checks hold.
 */
export class WorkflowAuthError extends WorkflowAbort {
  constructor(stepName: string) {
    super(stepName);
    this.name = "WorkflowAuthError";
    this.message = `This is an Upstash Workflow error thrown during authorization check. Found step '${stepName}' during dry-run.`;
  }
}

/** `context.cancel()`'s abort, with the SDK's name and message (`WorkflowCancelAbort` is not exported). */
export class WorkflowCancelAbort extends WorkflowAbort {
  constructor() {
    super("cancel");
    this.name = "WorkflowCancelAbort";
    this.message = "Workflow has been canceled by user via context.cancel().";
  }
}

export const DISABLED_STEP_NAME = "disabled-qstash-worklfow-run";

export { WorkflowAuthError as ReplayAuthAbort, WorkflowCancelAbort as ReplayCancelAbort };
