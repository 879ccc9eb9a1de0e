import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay, replayHistory } from "../../src/index.js";

/** A plan: names run as steps ("name" runs, "name:sleep" sleeps 1s), arrays as a Promise.all group. */
type Plan = Array<string | string[]>;

function planRoute(plan: Plan) {
  return async (context: WorkflowContext<unknown>) => {
    const issue = (spec: string) => {
      const [name, kind] = spec.split(":") as [string, string | undefined];
      return kind === "sleep" ? context.sleep(name, 1) : context.run(name, () => name.toUpperCase());
    };
    const seen: unknown[] = [];
    for (const item of plan) {
      if (Array.isArray(item)) seen.push(await Promise.all(item.map(issue)));
      else seen.push(await issue(item));
    }
    return seen;
  };
}

async function verdict(recorded: Plan, today: Plan) {
  const { history } = await replay(planRoute(recorded), { workflowRunId: "cases", perturb: false });
  const result = await replayHistory(planRoute(today), history);
  return {
    compatible: result.compatibility.compatible,
    changes: result.compatibility.changes.map((c) => `${c.kind}@${c.position}`),
    sdk: result.compatibility.production?.error,
  };
}

describe("the walk classifies combined and parallel edits", () => {
  it("an unchanged parallel plan", async () => {
    expect(await verdict(["a", ["p", "q"], "b"], ["a", ["p", "q"], "b"])).toEqual({ compatible: true, changes: [], sdk: undefined });
  });

  it("two parallel branches swapped", async () => {
    const v = await verdict(["a", ["p", "q"], "b"], ["a", ["q", "p"], "b"]);
    expect(v.compatible).toBe(false);
    expect(v.changes).toEqual(["reordered@3"]);
    expect(v.sdk).toMatch(/^Incompatible steps detected in parallel execution: Incompatible step name. Expected 'q', got 'p' from the request/);
  });

  it("a parallel group made sequential", async () => {
    const v = await verdict(["a", ["p", "q"], "b"], ["a", "p", "q", "b"]);
    expect(v.changes).toEqual(["width-changed@2"]);
    expect(v.compatible).toBe(false);
  });

  it("a parallel group narrowed", async () => {
    const v = await verdict(["a", ["p", "q", "r"], "b"], ["a", ["p", "q"], "b"]);
    expect(v.changes).toEqual(["width-changed@2"]);
    expect(v.sdk).toMatch(/^Incompatible number of parallel steps when call state was '\w+'. Expected 2, got 3 from the request.$/);
  });

  it("a step inserted first", async () => {
    const v = await verdict(["a", "b", "c"], ["x", "a", "b", "c"]);
    expect(v.changes).toEqual(["inserted@1"]);
    expect(v.sdk).toBe("Incompatible step name. Expected 'x', got 'a' from the request");
  });

  it("an insert before a rename", async () => {
    const v = await verdict(["a", "b", "c", "d"], ["x", "a", "b2", "c", "d"]);
    expect(v.changes).toEqual(["inserted@1", "renamed@2"]);
  });

  it("the last step replaced by a step of another type", async () => {
    const v = await verdict(["a", "b", "c"], ["a", "b", "c2:sleep"]);
    expect(v.changes).toEqual(["replaced@3"]);
    expect(v.sdk).toBe("Incompatible step name. Expected 'c2', got 'c' from the request");
  });

  it("a sleep inserted in the middle is an insert even though its type matches nothing nearby", async () => {
    const v = await verdict(["a", "b", "c"], ["a", "wait:sleep", "b", "c"]);
    expect(v.changes).toEqual(["inserted@2"]);
  });

  it("duplicate names are matched in order", async () => {
    const v = await verdict(["a", "a", "b"], ["a", "a", "b", "c"]);
    expect(v).toEqual({ compatible: true, changes: ["appended@4"], sdk: undefined });
  });

  it("two steps removed from the middle", async () => {
    const v = await verdict(["a", "b", "c", "d", "e"], ["a", "d", "e"]);
    expect(v.changes).toEqual(["removed@2", "removed@3"]);
    expect(v.sdk).toBe("Incompatible step name. Expected 'd', got 'b' from the request");
  });

  it("a route that throws on a value it did not expect ends the walk without inventing changes past it", async () => {
    const { history } = await replay(planRoute(["a", "b", "c"]), { workflowRunId: "throws", perturb: false });
    const route = async (context: WorkflowContext<unknown>) => {
      const a = await context.run("a-renamed", () => "A");
      if (typeof a !== "string") throw new Error("unexpected");
      (JSON.parse("{") as unknown);
      await context.run("b", () => "B");
    };
    const result = await replayHistory(route, history);
    expect(result.compatibility.walk.ended).toBe("threw");
    expect(result.compatibility.changes.map((c) => `${c.kind}@${c.position}`)).toEqual(["renamed@1"]);
  });
});

describe("parallel width changes are one change per group", () => {
  it("sequential steps made parallel", async () => {
    const v = await verdict(["a", "p", "q", "b"], ["a", ["p", "q"], "b"]);
    expect(v.changes).toEqual(["width-changed@2"]);
    expect(v.sdk).toBe("Incompatible number of parallel steps when call state was 'discard'. Expected 2, got 1 from the request.");
  });

  it("a group made sequential: the SDK's answer is a name error further on", async () => {
    const v = await verdict(["a", ["p", "q"], "b"], ["a", "p", "q", "b"]);
    expect(v.changes).toEqual(["width-changed@2"]);
    expect(v.sdk).toBe("Incompatible step name. Expected 'b', got 'p' from the request");
  });
});

describe("histories with calls", () => {
  it("replays a recorded context.call from the history, with no handler needed", async () => {
    const { http, HttpResponse } = await import("msw");
    const route = async (context: WorkflowContext<unknown>) => {
      const res = await context.call<{ price: number }>("quote", { url: "https://api.example.com/quote", method: "POST", body: "{}" });
      return await context.run("total", () => res.body.price * 2);
    };
    const recorded = await replay(route, {
      handlers: [http.post("https://api.example.com/quote", () => HttpResponse.json({ price: 21 }))],
      workflowRunId: "call",
      perturb: false,
    });
    expect(recorded.output).toBe(42);
    const result = await replayHistory(route, recorded.history);
    expect(result.compatibility.compatible).toBe(true);
    expect(result.status).toBe("completed");
    expect(result.output).toBe(42);
    // a renamed call is caught like any other step
    const renamed = async (context: WorkflowContext<unknown>) => {
      const res = await context.call<{ price: number }>("get-quote", { url: "https://api.example.com/quote", method: "POST", body: "{}" });
      return await context.run("total", () => res.body.price * 2);
    };
    const broken = await replayHistory(renamed, recorded.history);
    expect(broken.compatibility.summary).toBe("incompatible: step 1 renamed 'quote' → 'get-quote'");
  });
});
