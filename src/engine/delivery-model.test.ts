import { WorkflowAbort, WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../replay.js";

/** Fidelity rules of one delivery: fresh payload, dry run, positional matching, one step, the abort, JSON. */
describe("the delivery model", () => {
  it("re-parses the payload for every delivery: a mutation is lost at the next one", async () => {
    const seen: unknown[] = [];
    const objects = new Set<unknown>();
    const result = await replay(
      async (context: WorkflowContext<{ count: number }>) => {
        objects.add(context.requestPayload);
        seen.push(context.requestPayload.count);
        context.requestPayload.count += 1;
        await context.run("one", () => 1);
        await context.run("two", () => 2);
      },
      { payload: { count: 0 }, perturb: false },
    );
    expect(result.invocations).toBe(3);
    // dry run and real run share one parsed object per delivery (the SDK passes the same payload to both)
    expect(seen).toEqual([0, 1, 0, 1, 0, 1]);
    expect(objects.size).toBe(3);
  });

  it("runs the code before the first step twice per delivery (the auth dry run)", async () => {
    let top = 0;
    let afterFirst = 0;
    const result = await replay(async (context) => {
      top++;
      await context.run("one", () => 1);
      afterFirst++;
      await context.run("two", () => 2);
      await context.run("three", () => 3);
    }, { perturb: false });
    expect(result.invocations).toBe(4);
    expect(top).toBe(8);
    expect(afterFirst).toBe(3);
  });

  it("fails a route that returns before any step, like the SDK's auth failure", async () => {
    const result = await replay(async (context: WorkflowContext<{ skip?: boolean }>) => {
      if (context.requestPayload.skip) return "skipped";
      await context.run("work", () => 1);
    }, { payload: { skip: true } });
    expect(result.status).toBe("failed");
    expect(result.error?.status).toBe(400);
    expect(result.error?.message).toMatchInlineSnapshot(
      `"Failed to authenticate Workflow request. If this is unexpected, see the caveat https://upstash.com/docs/workflow/basics/caveats#avoid-non-deterministic-code-outside-context-run"`,
    );
    expect(result.invocations).toBe(4); // the first delivery and its three retries
  });

  it("matches steps by position and fails with the SDK's name text when a name changes", async () => {
    let deliveries = 0;
    const result = await replay(async (context) => {
      deliveries++;
      await context.run(`step-${Math.ceil(deliveries / 2)}`, () => 1);
      await context.run("second", () => 2);
    }, { retries: 0 });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ name: "WorkflowError", status: 500 });
    expect(result.error?.message).toMatchInlineSnapshot(
      `"Incompatible step name. Expected 'step-2', got 'step-1' from the request"`,
    );
  });

  it("fails with the SDK's type text when a step changes its type", async () => {
    let deliveries = 0;
    const result = await replay(async (context) => {
      deliveries++;
      if (deliveries <= 2) await context.run("wait", () => 1);
      else await context.sleep("wait", 1);
      await context.run("after", () => 2);
    }, { retries: 0 });
    expect(result.error?.message).toMatchInlineSnapshot(
      `"Incompatible step type. Expected 'SleepFor', got 'Run' from the request"`,
    );
  });

  it("executes one new step per delivery and ends it with the SDK's own WorkflowAbort", async () => {
    const caught: string[] = [];
    const ran: string[] = [];
    const result = await replay(async (context) => {
      for (const name of ["a", "b", "c"]) {
        try {
          await context.run(name, () => ran.push(name));
        } catch (error) {
          caught.push(`${(error as Error).name}:${error instanceof WorkflowAbort}:${(error as WorkflowAbort).stepName}`);
          throw error;
        }
      }
    });
    expect(result.status).toBe("completed");
    expect(ran).toEqual(["a", "b", "c"]);
    expect(caught.filter((c) => c.startsWith("WorkflowAbort:"))).toEqual([
      "WorkflowAbort:true:a",
      "WorkflowAbort:true:b",
      "WorkflowAbort:true:c",
    ]);
    // each of the 4 deliveries' dry runs throws the auth abort through user code at the first step
    expect(caught.filter((c) => c.startsWith("WorkflowAuthError:"))).toEqual(
      Array(4).fill("WorkflowAuthError:true:disabled-qstash-worklfow-run"),
    );
  });

  it("hands the code after a step the JSON round-tripped value, never the original", async () => {
    const seen: unknown[] = [];
    const result = await replay(async (context) => {
      const value = await context.run("make", () => ({
        when: new Date(Date.UTC(2024, 0, 2)),
        tags: new Set(["a"]),
        missing: undefined,
        nan: Number.NaN,
      }));
      seen.push(value);
      await context.run("next", () => 1);
      return value;
    });
    expect(seen[0]).toEqual({ when: "2024-01-02T00:00:00.000Z", tags: {}, nan: null });
    expect(result.output).toEqual({ when: "2024-01-02T00:00:00.000Z", tags: {}, nan: null });
    expect(result.steps[1]!.out).toBe('{"when":"2024-01-02T00:00:00.000Z","tags":{},"nan":null}');
  });

  it("records a step that returns undefined without an out field", async () => {
    const result = await replay(async (context) => {
      await context.run("nothing", () => undefined);
    });
    expect(result.steps[1]).toEqual({ stepId: 1, stepName: "nothing", stepType: "Run", concurrent: 1 });
  });

  it("fails a BigInt result on every attempt, running the step function again each time", async () => {
    let runs = 0;
    const result = await replay(async (context) => {
      await context.run("big", () => {
        runs++;
        return 1n as unknown as number;
      });
    });
    expect(result.status).toBe("failed");
    expect(result.error).toMatchObject({ name: "TypeError", status: 500 });
    expect(result.error?.message).toMatch(/BigInt/);
    expect(result.error?.stepName).toBeUndefined();
    expect(runs).toBe(4);
  });

  it("validates step names with the SDK's messages", async () => {
    const empty = await replay(async (context) => {
      await context.run("first", () => 1);
      await context.run("", () => 1);
    }, { retries: 0 });
    expect(empty.error?.message).toMatchInlineSnapshot(
      `"A workflow step name cannot be undefined or an empty string. Please provide a name for your workflow step."`,
    );
    const numeric = await replay(async (context) => {
      await context.run("first", () => 1);
      await context.run(7 as unknown as string, () => 1);
    }, { retries: 0 });
    expect(numeric.error?.message).toMatchInlineSnapshot(`"A workflow step name must be a string. Received "7" (number)."`);
  });

  it("reports a nested step started synchronously with the SDK's message", async () => {
    const result = await replay(async (context) => {
      await context.run("outer", () => {
        void context.run("inner", () => 1);
        return 1;
      });
      await context.run("after", () => 2);
    }, { retries: 0, checks: { "unawaited-step": "off", "nested-step": "off" } });
    expect(result.status).toBe("completed");
    const outer = await replay(async (context) => {
      await context.run("outer", async () => {
        await context.run("inner", () => 1);
      });
    }, { retries: 0, checks: { "nested-step": "off" } });
    expect(outer.error?.message).toMatchInlineSnapshot(
      `"A step can not be run inside another step. Tried to run 'inner' inside 'outer'"`,
    );
    expect(outer.error?.stepName).toBe("outer");
  });
});
