import { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { runBoth } from "./both-modes.js";

// What user code can observe of the context object itself is the same in both drivers
// (decision 1504): its own enumerable keys in order, instanceof, and JSON.stringify throwing
// (the SDK's context is circular), in the route and in the failure function.
function observe(context: unknown): unknown {
  let json: string;
  try {
    json = `ok ${JSON.stringify(context).length}`;
  } catch (error) {
    json = `${(error as Error).name}: ${(error as Error).message}`;
  }
  return { keys: Object.keys(context as object), isContext: context instanceof WorkflowContext, json };
}

describe("the context object as user code sees it", () => {
  it("in the route and in the failure function", async () => {
    const seen: unknown[][] = [];
    const make = () => {
      const mine: unknown[] = [];
      seen.push(mine);
      return async (context: WorkflowContext) => {
        await context.run("one", () => 1);
        mine.push(observe(context));
        await context.run("two", () => {
          throw new Error("boom");
        });
      };
    };
    const { mock, real } = await runBoth(make, {
      retries: 0,
      failureFunction: async ({ context }) => {
        const observed = observe(context);
        return observed;
      },
    });
    const [inMock, inReal] = seen;
    expect(inMock).toEqual(inReal);
    expect((inReal![0] as { keys: string[] }).keys).toEqual(["executor", "steps", "qstashClient", "workflowRunId", "workflowRunCreatedAt", "url", "requestPayload", "headers", "env", "labels", "retried"]);
    expect((inReal![0] as { json: string }).json).toMatch(/^TypeError: Converting circular structure to JSON/);
    expect(real.failureFunctionResult).toBeDefined();
    expect(mock.failureFunctionResult).toEqual(real.failureFunctionResult);
  });
});
