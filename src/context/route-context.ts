import type { WorkflowContext } from "@upstash/workflow";
import type { MockWorkflowContext } from "./mock-context.js";

/**
 * A harness context as the parameter a route is typed with. The class is not declared as the SDK's
 * `WorkflowContext` (its constructor is the SDK's business), but its prototype chain includes it and
 * its surface is the SDK's (decision 1504): the one place that says so to the compiler.
 *
 * @example
 * ```ts
 * await route(routeContext(new MockWorkflowContext(init, executor)));
 * ```
 */
export function routeContext<TPayload>(context: MockWorkflowContext<TPayload>): WorkflowContext<TPayload> {
  return context as unknown as WorkflowContext<TPayload>;
}
