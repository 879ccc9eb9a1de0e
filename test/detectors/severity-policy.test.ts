// The severity policy (docs/decisions/1200): an error is a production bug, a warning a risk that
// production tolerates today. Each pair below differs in one thing: whether the run misbehaves.
import { runInNewContext } from "node:vm";
import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import type { Finding, FindingKind } from "../../src/types.js";

type Route = (context: WorkflowContext<any>) => Promise<unknown>;

const of = (findings: Finding[], kind: FindingKind) => findings.filter((f) => f.kind === kind);

describe("duplicate-step-name severity", () => {
  it("warns on Upstash's documented drip loop: the same names at stable positions work in SDK 1.3.3", async () => {
    const route: Route = async (context) => {
      let month = 0;
      while (month < 3) {
        const state = await context.run("check-user-state", () => (month === 1 ? "active" : "non-active"));
        if (state === "non-active") await context.run("send-email-non-active", () => "sent");
        else await context.run("send-email-active", () => "sent");
        await context.sleep("wait-for-1-month", 60 * 60 * 24 * 30);
        month++;
      }
    };
    const result = await replay(route);
    expect(result.status).toBe("completed");
    const found = of(result.findings, "duplicate-step-name");
    expect(found.map((f) => [f.stepName, f.severity])).toEqual([
      ["check-user-state", "warning"],
      ["wait-for-1-month", "warning"],
      ["send-email-non-active", "warning"],
    ]);
    expect(found[0]!.message).toContain("so this works in production today");
    expect(result.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("is an error when the shared name hides a shift: a clock check outside steps picks another call site", async () => {
    const route: Route = async (context) => {
      await context.run("load", () => 1);
      if (Date.now() < Date.UTC(2025, 0, 1, 12)) await context.run("notify", () => "morning");
      else await context.run("notify", () => "afternoon");
      await context.run("done", () => true);
    };
    const result = await replay(route, { startTime: Date.UTC(2025, 0, 1, 8) });
    const found = of(result.findings, "duplicate-step-name");
    expect(found.map((f) => f.severity)).toEqual(["error"]);
    expect(found[0]!.message).toMatch(/^Two call sites name their step "notify", .*hides a divergence/);
    expect(found[0]!.message).toContain("served the other step's recorded result");
  });
});

describe("non-serializable-result severity", () => {
  it("warns on a Date the rest of the run never depends on, and lists every lossy path", async () => {
    const result = await replay(async (context) => {
      const user = await context.run("load-user", () => ({ name: "Ada", createdAt: new Date(0), updatedAt: new Date(1), ratio: 0 / 0 }));
      await context.run("greet", () => `hi ${user.name}`);
    });
    const [finding, ...rest] = of(result.findings, "non-serializable-result");
    expect(rest).toEqual([]);
    expect(finding!.severity).toBe("warning");
    expect((finding!.received as { paths: string[] }).paths).toEqual(["$.createdAt", "$.updatedAt", "$.ratio"]);
    expect(finding!.message).toContain("production tolerates it today");
  });

  it("is an error when code calls a method the value lost, and names the path that mattered", async () => {
    const result = await replay(async (context) => {
      const user = await context.run("load-user", () => ({ name: "Ada", ratio: 0 / 0, createdAt: new Date(0) }));
      await context.run("age", () => Date.now() - user.createdAt.getTime());
    }, { retries: 0 });
    expect(result.status).toBe("failed");
    const [finding] = of(result.findings, "non-serializable-result");
    expect(finding!.severity).toBe("error");
    expect((finding!.received as { mattered: string }).mattered).toBe("$.createdAt");
    expect(finding!.message).toContain("the run failed calling getTime on it");
  });

  it("is an error when a Map with entries arrives empty, a warning for an empty Map", async () => {
    const full = await replay(async (context) => {
      const totals = await context.run("totals", () => new Map([["eur", 10]]));
      return Object.keys(totals).length;
    });
    const empty = await replay(async (context) => {
      await context.run("totals", () => new Map());
    });
    expect(of(full.findings, "non-serializable-result").map((f) => f.severity)).toEqual(["error"]);
    expect(of(empty.findings, "non-serializable-result").map((f) => f.severity)).toEqual(["warning"]);
  });

  it("treats objects from another realm (a vm context, structuredClone) as plain objects", async () => {
    const result = await replay(async (context) => {
      const row = await context.run("row", () => runInNewContext(`({ id: 1, tags: ["a"], nested: { ok: true } })`) as { id: number });
      const copy = await context.run("copy", () => structuredClone({ id: row.id, list: [{ a: 1 }] }));
      return copy.id;
    });
    expect(result.status).toBe("completed");
    expect(result.findings).toEqual([]);
  });

  it("reports a Date from another realm as a Date, not as a class instance", async () => {
    const result = await replay(async (context) => {
      await context.run("when", () => runInNewContext("new Date(0)"));
    });
    expect(of(result.findings, "non-serializable-result")[0]!.message).toContain("it is a Date");
  });
});

describe("nondeterminism severity", () => {
  it("does not make an error of a memoized sleep's drifting duration", async () => {
    const result = await replay(async (context) => {
      await context.run("start", () => 1);
      await context.sleep("cool-down", Math.floor(Date.now() / 1000) % 1000);
      await context.run("end", () => 2);
    });
    const found = of(result.findings, "nondeterminism");
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.severity === "warning")).toBe(true);
  });

  it("reports every divergence of a delivery: a harmless drift does not hide a harmful one", async () => {
    let deliveries = 0;
    const result = await replay(async (context) => {
      deliveries++;
      await context.sleep("cool-down", deliveries);
      await context.run(deliveries > 4 ? "renamed" : "work", () => 1); // the route runs twice per delivery (auth dry run)
      await context.run("end", () => 2);
    }, { retries: 0 });
    const found = of(result.findings, "nondeterminism");
    expect(found.map((f) => [f.stepId, f.severity])).toEqual([
      [1, "warning"],
      [2, "error"],
    ]);
    expect(found[1]!.message).toContain(`Incompatible step name`);
  });
});
