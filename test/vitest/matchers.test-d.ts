import { describe, expect, expectTypeOf, it } from "vitest";
import type { ReplayResult } from "workflow-replay";
import { matchers, type ReplayMatchers } from "workflow-replay/vitest";

declare const result: ReplayResult;

describe("workflow-replay/vitest type augmentation", () => {
  it("accepts the matchers object in expect.extend", () => {
    expectTypeOf(expect.extend).toBeCallableWith(matchers);
  });

  it("adds the replay matchers to vitest's Assertion", () => {
    expect(result).toCompleteWith({ ok: true });
    expect(result).toHaveStatus("completed");
    expect(result).not.toHaveStatus("failed");
    expect(result).toHaveRunSteps(["fetch-0", "summarize-1"]);
    expect(result).toHaveNoFindings();
    expect(result).toHaveNoFindings({ allow: ["nondeterministic-source"] });
    expect(result).toHaveFinding("nondeterminism");
    expect(result).toHaveFinding("side-effect-outside-step", { stepName: "charge", message: expect.stringContaining("fetch") });
    expectTypeOf(expect(result).toHaveStatus).parameter(0).toEqualTypeOf<"completed" | "failed" | "cancelled" | "waiting">();
  });

  it("works on promises through resolves", async () => {
    const pending: Promise<ReplayResult> = Promise.resolve(result);
    await expect(pending).resolves.toHaveStatus("completed");
  });

  it("rejects unknown statuses and finding kinds", () => {
    // @ts-expect-error "done" is not a run status
    expect(result).toHaveStatus("done");
    // @ts-expect-error "typo-kind" is not a finding kind
    expect(result).toHaveFinding("typo-kind");
    // @ts-expect-error step names are a list
    expect(result).toHaveRunSteps("fetch-0");
  });

  it("exposes the matcher signatures as ReplayMatchers", () => {
    expectTypeOf<ReplayMatchers<void>["toHaveFinding"]>().parameters.toEqualTypeOf<
      [kind: import("workflow-replay").FindingKind, partial?: Partial<import("workflow-replay").Finding>]
    >();
  });
});
