import { describe, expect, it } from "vitest";
import { z } from "zod";
import { replay } from "../../src/replay.js";
import { caseOf, onlyFinding, runCase, pinned, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "payload-mutation";

describe("payload-mutation", () => {
  it("reports an item pushed onto a payload array outside a step", async () => {
    const finding = await onlyFinding(kind, "pushes to a payload array");
    expect(finding).toMatchObject({ severity: "error", invocation: 1, received: "gift-wrap" });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"context.requestPayload was changed during delivery 1: $.items[1] was added ("gift-wrap"). QStash sends the original payload with every delivery, so the change is lost at the next delivery (and the auth dry run already ran on the same object). Treat the payload as read-only: copy it first (const input = structuredClone(context.requestPayload)), or compute the new value in a step and use the step's result."`);
  });

  it("reports a field changed inside a step", async () => {
    const finding = await onlyFinding(kind, "normalizes a payload field");
    expect(finding).toMatchObject({ expected: "Ada@Example.com", received: "ada@example.com" });
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"context.requestPayload was changed during delivery 1: $.email was "Ada@Example.com" and is now "ada@example.com". QStash sends the original payload with every delivery, so the change is lost at the next delivery (and the auth dry run already ran on the same object). Treat the payload as read-only: copy it first (const input = structuredClone(context.requestPayload)), or compute the new value in a step and use the step's result."`);
  });

  it("reports a deleted field", async () => {
    const finding = await onlyFinding(kind, "deletes a secret");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"context.requestPayload was changed during delivery 1: $.token was removed (it was "s3cret"). QStash sends the original payload with every delivery, so the change is lost at the next delivery (and the auth dry run already ran on the same object). Treat the payload as read-only: copy it first (const input = structuredClone(context.requestPayload)), or compute the new value in a step and use the step's result."`);
  });

  it("reports the same mutation once, although every delivery repeats it", async () => {
    const result = await runCase(caseOf(kind, "normalizes a payload field"));
    expect(result.invocations).toBe(3);
    expect(result.findings.filter((f) => f.kind === kind)).toHaveLength(1);
  });

  it("compares against the schema's output, so a transforming schema is not a mutation", async () => {
    const schema = z.object({ email: z.string().transform((s) => s.toLowerCase()), tags: z.array(z.string()).default([]) });
    const result = await replay(async (context) => {
      await context.run("send", () => context.requestPayload.email);
    }, { payload: { email: "Ada@Example.com" } as never, schema });
    expect(result.output).toBeUndefined();
    expect(result.findings).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind);
});
