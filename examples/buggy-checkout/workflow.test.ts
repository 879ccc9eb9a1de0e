import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { matchers } from "workflow-replay/vitest";
import { analyticsHandlers } from "./handlers";
import { buggyCheckout } from "./workflow";

expect.extend(matchers);

describe("the buggy checkout", () => {
  it("fails under replay: the clock-made step name no longer matches on the next delivery", async () => {
    const { handlers, tracked } = analyticsHandlers();
    const result = await replay(buggyCheckout, { payload: { cartId: "c1" }, handlers });
    expect(result).toHaveStatus("failed");
    expect(result.error?.message).toMatch(/Incompatible step name/);
    // The request outside a step went out on every delivery, twice each (the SDK's dry run first).
    expect(tracked.length).toBe(2 * result.deliveries.filter((d) => d.kind === "step").length);
  });
});
