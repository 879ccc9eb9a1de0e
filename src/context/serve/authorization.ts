import { WorkflowNonRetryableError, WorkflowRetryAfterError, type RouteFunction } from "@upstash/workflow";
import type { EndpointResponse } from "../../engine/wire-types.js";
import { DISABLED_STEP_NAME, isInstanceOf, WorkflowAuthError } from "../../errors.js";
import { runInFrame, type ScopeFrame } from "../../sandbox/scope.js";
import { MockWorkflowContext, type MockContextInit } from "../mock-context.js";
import { routeContext } from "../route-context.js";

/** The SDK's answer (400) when the auth dry run reaches the end of the route without meeting a step. */
export const AUTH_FAIL_MESSAGE =
  "Failed to authenticate Workflow request. If this is unexpected, see the caveat https://upstash.com/docs/workflow/basics/caveats#avoid-non-deterministic-code-outside-context-run";

/** The response `serve()` gives when the dry run ends without a step. */
export function authFailResponse(): EndpointResponse {
  return { status: 400, finishCondition: "auth-fail", error: { name: "Error", message: AUTH_FAIL_MESSAGE } };
}

/** How the dry run ended: at the first step, at the end of the route, or with the route's own error. */
export type DryRunOutcome = "step-found" | "run-ended" | { error: unknown };

/**
 * The SDK's auth dry run (`serve/authorization.ts`): runs the route on a context whose first step
 * throws, so the code before the first step runs once more in every delivery.
 */
export async function dryRun(
  route: RouteFunction<any, any>,
  init: MockContextInit<unknown>,
  frame: ScopeFrame,
  seen?: { caught?: { stepName: string; error: Error } },
): Promise<DryRunOutcome> {
  const context = new MockWorkflowContext(init, undefined);
  try {
    await runInFrame({ ...frame, dryRun: true }, () => route(routeContext(context)));
  } catch (error) {
    try {
      if (
        (isInstanceOf(error, WorkflowAuthError) && (error as WorkflowAuthError).stepName === DISABLED_STEP_NAME) ||
        isInstanceOf(error, WorkflowNonRetryableError) ||
        isInstanceOf(error, WorkflowRetryAfterError)
      ) {
        return "step-found";
      }
    } catch (classification) {
      return { error: classification }; // `throw undefined`: the SDK's check itself throws
    }
    return { error };
  }
  if (seen) seen.caught = context.dryRunAbort;
  return "run-ended";
}
