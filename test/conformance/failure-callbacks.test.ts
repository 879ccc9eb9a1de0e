import type { WorkflowContext } from "@upstash/workflow";
import { describe, expect, it } from "vitest";
import { formatReport } from "../../src/report/format-report.js";
import { comparable, runBoth } from "./both-modes.js";

// Every delivery is in the result and the report, failure callbacks and their errors included, and
// failureFunctionResult is set whenever the failure function returned (both drivers).
describe("failure callbacks in the result and the report", () => {
  const failing = () => async (context: WorkflowContext) => {
    await context.run("one", () => {
      throw new Error("boom");
    });
  };

  it("a failure function that crashes on the context (JSON.stringify of a circular object)", async () => {
    const { mock, real } = await runBoth(failing, { retries: 0, failureFunction: async ({ context }) => JSON.stringify(context) });
    for (const result of [mock, real]) {
      expect(result.deliveries.map((d) => `${d.kind} ${d.status} ${d.error?.name ?? ""}`)).toEqual(["step 500 Error", "failure-callback 500 TypeError"]);
      expect(result.failureFunctionResult).toBeUndefined();
      const report = formatReport(result, { color: false });
      expect(report).toContain("2 deliveries");
      expect(report).toMatch(/failure-callback .*500 TypeError: Converting circular structure to JSON/);
    }
    expect(comparable(mock)).toEqual(comparable(real));
  });

  it("a failure function that returns", async () => {
    const { mock, real } = await runBoth(failing, { retries: 0, failureFunction: async ({ failResponse }) => ({ handled: failResponse }) });
    expect(real.failureFunctionResult).toEqual({ handled: "boom" });
    expect(comparable(mock)).toEqual(comparable(real));
  });
});
