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

function constructorName(obj: unknown): string | null {
  if (obj === null || obj === undefined) return null;
  const ctor = (obj as { constructor?: { name?: string } }).constructor;
  if (!ctor || ctor.name === "Object") return null;
  return ctor.name ?? null;
}

/**
 * The SDK's `isInstanceOf`: compares constructor names along the prototype chain, so an error class
 * from another copy of the SDK (its ESM and its CJS build) counts too. Like the SDK's, it throws a
 * TypeError for `null` and `undefined` (a `throw undefined` in a route fails the request with it):
 * Object.getPrototypeOf throws for them, as in the SDK.
 */
export function isInstanceOf(value: unknown, ctor: { name: string }): boolean {
  // The SDK's `constructorNames(value).includes(name)`, walked without building the list: it runs
  // several times per delivery (the dry run's abort, the route's outcome).
  let proto: unknown = Object.getPrototypeOf(value);
  for (;;) {
    const name = constructorName(proto);
    if (name === null) return false;
    if (name === ctor.name) return true;
    proto = Object.getPrototypeOf(proto);
  }
}
