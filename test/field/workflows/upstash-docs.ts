// Upstash's own best-practice pages (upstash/docs): each "❌ Incorrect" snippet ships the bug the page
// warns about, and its "✅ Correct" twin must stay clean. someWork / someOtherWork are the pages'
// placeholders, here small in-memory fakes (someOtherWork files the result's summary).
import { WorkflowAbort } from "@upstash/workflow";
import type { FieldWorkflow } from "../field-workflow.js";

const RETURN_RESULTS = { repo: "upstash/docs", path: "workflow/basics/best-practices/return-step-results.mdx", commit: "3a06213867d54bbf9e87749e060a8eb2fdd4e355" };
const DETERMINISTIC = { repo: "upstash/docs", path: "workflow/basics/best-practices/deterministic-code.mdx", commit: "c7145221ec121ec7ffd93c3e193539630a99342b" };
const NESTED = { repo: "upstash/docs", path: "workflow/basics/best-practices/nested-context-methods.mdx", commit: "3a06213867d54bbf9e87749e060a8eb2fdd4e355" };
const AT_LEAST_ONE = { repo: "upstash/docs", path: "workflow/basics/best-practices/at-least-one-step.mdx", commit: "cb552ceb12a7af8f741c77619c7950ce1eb9521f" };

function fakes() {
  const filed: string[] = [];
  return {
    someWork: async (input: string) => ({ summary: `summary of ${input}` }),
    someOtherWork: async (result: { summary: string } | undefined) => {
      filed.push(result!.summary);
    },
  };
}

/** return-step-results.mdx, "❌ Incorrect - TypeScript": the step's result kept in a closure variable. */
export const docsClosureResult: FieldWorkflow = {
  title: "upstash docs: return step results (incorrect: a closure variable)",
  source: RETURN_RESULTS,
  route: () => {
    const { someWork, someOtherWork } = fakes();
    return async (context) => {
      const input = context.requestPayload as string;

      let result: { summary: string } | undefined;

      await context.run("step-1", async () => {
        result = await someWork(input);
      });
      await context.run("step-2", async () => {
        await someOtherWork(result);
      });
    };
  },
  options: { payload: "report", retries: 1 },
  bugs: [
    {
      kind: "lost-step-state",
      effect:
        "result is set only in the delivery that runs step-1; step-2 runs in the next delivery with result undefined, throws on every retry and the run fails (the page: 'result will be uninitialized when the endpoint is called again to run step-2').",
      handler: false,
    },
  ],
  notes: "The run fails in both drivers; a handler hides the route, so the class is named through replay() only.",
};

/** return-step-results.mdx, "✅ Correct - TypeScript". */
export const docsReturnedResult: FieldWorkflow = {
  title: "upstash docs: return step results (correct)",
  source: RETURN_RESULTS,
  route: () => {
    const { someWork, someOtherWork } = fakes();
    return async (context) => {
      const input = context.requestPayload as string;

      const result = await context.run("step-1", async () => {
        return await someWork(input);
      });

      await context.run("step-2", async () => {
        someOtherWork(result);
      });
    };
  },
  options: { payload: "report" },
  bugs: [],
  notes: "No finding expected.",
};

/** at-least-one-step.mdx, "❌ Missing steps - TypeScript". */
export const docsNoStep: FieldWorkflow = {
  title: "upstash docs: at least one step (incorrect: no step)",
  source: AT_LEAST_ONE,
  route: () => async (context) => {
    const input = context.requestPayload;

    // 👇 Problem: No context.run call
    void input; // the page logs it: console.log("Processing input:", input)

    // This workflow will fail with "Failed to authenticate Workflow request."
  },
  options: { payload: "hello", retries: 1 },
  bugs: [
    {
      kind: "early-return",
      effect: "Every delivery's auth dry run reaches the end of the route: the SDK answers 400 'Failed to authenticate Workflow request' and the run fails after its retries.",
      handler: true,
    },
  ],
  notes: "Seen in both drivers (the delivery's own answer).",
};

/** at-least-one-step.mdx, "✅ Correct - TypeScript". */
export const docsDummyStep: FieldWorkflow = {
  title: "upstash docs: at least one step (correct: a dummy step)",
  source: AT_LEAST_ONE,
  route: () => async (context) => {
    const input = context.requestPayload;
    void input;

    // 👇 At least one step is required
    await context.run("dummy-step", async () => {
      return;
    });
  },
  options: { payload: "hello" },
  bugs: [],
  notes: "No finding expected.",
};

/** deterministic-code.mdx, "❌ Time-dependent code - TypeScript". */
export const docsTimeBranch: FieldWorkflow = {
  title: "upstash docs: deterministic code (incorrect: a branch on the clock)",
  source: DETERMINISTIC,
  route: () => async (context) => {
    const input = context.requestPayload;
    void input;

    // 👇 Problem: time-dependent code
    if (Date.now() % 5 == 2) {
      await context.run("step-1", () => {
        // ...
      });
    } else {
      await context.run("step-2", () => {
        // ...
      });
    }
  },
  options: { payload: "x" },
  bugs: [
    {
      kind: "nondeterminism",
      effect: "A delivery at another millisecond takes the other branch: the SDK fails it with 'Incompatible step name' (the recorded step is the other one) until the run fails.",
      handler: false,
    },
  ],
  notes: "The run's own deliveries happen to agree here (the virtual clock moves in whole 100 ms); the perturbed pass (replay() only) shows the flip.",
};

/** deterministic-code.mdx, "❌ Random code - TypeScript": a branch on a band of Math.random(). */
export const docsRandomBranch: FieldWorkflow = {
  title: "upstash docs: deterministic code (incorrect: a branch on Math.random())",
  source: DETERMINISTIC,
  route: () => async (context) => {
    const input = context.requestPayload;
    void input;

    // 👇 Problem: random code
    if (Math.floor(Math.random() * 10) % 5 == 2) {
      await context.run("step-1", () => {
        // ...
      });
    } else {
      await context.run("step-2", () => {
        // ...
      });
    }
  },
  options: { payload: "x" },
  bugs: [
    {
      kind: "nondeterminism",
      effect: "A delivery that draws another value takes the other branch: the SDK fails it with 'Incompatible step name' (the recorded step is the other one) until the run fails.",
      handler: false,
    },
  ],
  notes: "The condition is false at both ends of Math.random()'s range and true at 0.25: the perturbed pass at 0.25 (replay() only) shows the flip.",
};

/** nested-context-methods.mdx: context.sleep, context.run and context.call inside a step (the page elides their arguments). */
export const docsNested: FieldWorkflow = {
  title: "upstash docs: nested context methods (incorrect)",
  source: NESTED,
  route: () => async (context) => {
    const input = context.requestPayload;
    void input;

    await context.run("step-1", async () => {
      await context.sleep("inner-sleep", 1); // ❌ INCORRECT
      await context.run("inner-run", () => "x"); // ❌ INCORRECT
      await context.call("inner-call", { url: "https://example.com/api", method: "GET" }); // ❌ INCORRECT
    });
  },
  options: { payload: "x", retries: 1 },
  bugs: [
    {
      kind: "nested-step",
      effect: "The SDK refuses the inner step ('A step can not be run inside another step') in every delivery: the run fails.",
      handler: false,
    },
  ],
  notes:
    "The SDK's own error fails the run in both drivers; only replay() names the class (a handler gives no step hooks, and the same SDK text also follows a step's synchronous error caught around its await).",
};

const TROUBLESHOOTING = { repo: "upstash/docs", path: "workflow/troubleshooting/general.mdx", commit: "09fa1ee7c52ddc0759b6c6302e198e4e040dc847" };
/** troubleshooting/general.mdx, "Running Steps Inside try/catch Blocks": rethrow WorkflowAbort, handle the rest. */
export const docsRethrowAbort: FieldWorkflow = {
  title: "upstash docs: try/catch around a step that rethrows WorkflowAbort",
  source: TROUBLESHOOTING,
  route: () => async (context) => {
    try {
      await context.run("some-step", () => "done");
    } catch (error) {
      if (error instanceof WorkflowAbort) {
        throw error;
      } else {
        // handle other errors
      }
    }
  },
  bugs: [],
  notes: "No finding expected: the abort is rethrown (swallowed-abort must stay quiet).",
};
