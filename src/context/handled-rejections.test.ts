import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replay } from "../replay.js";

// A step promise user code never awaits must not reach the process as an unhandled rejection (it
// would fail the user's test run with an error that names no step): the detectors report it instead.
// context.run marks its promise handled only when the step fails (lazy handles), so both ways a
// memoized run step fails are covered: asynchronously (a validation error) and synchronously.
describe("step promises nobody awaits", () => {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", listener);
  });
  afterEach(() => {
    process.off("unhandledRejection", listener);
  });

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("a memoized context.run that fails validation (renamed between deliveries) is handled", async () => {
    let calls = 0;
    const result = await replay(
      async (context) => {
        calls += 1;
        await context.run("a", () => 1);
        void context.run(`renamed-${calls}`, () => 2); // memoized from the next delivery on, under another name
        for (let i = 0; i < 10; i++) await null; // past the parallel window: its own group
        await context.run("c", () => 3);
      },
      { perturb: false },
    );
    await settle();
    expect(result.findings.map((f) => f.kind)).toContain("nondeterminism");
    expect(unhandled).toEqual([]);
  });

  it("a context.run that throws before its first await (empty name) and is never awaited is handled", async () => {
    const result = await replay(async (context) => {
      await context.run("a", () => 1);
      void context.run("", () => 2);
      await context.run("b", () => 3);
      return "done";
    });
    await settle();
    expect(result.status).toBe("completed");
    expect(unhandled).toEqual([]);
  });

  it("an awaited context.run that fails still rejects into user code", async () => {
    const result = await replay(async (context) => {
      await context.run("a", () => 1);
      try {
        await context.run("", () => 2);
        return "no error";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(result.output).toMatch(/step name cannot be undefined or an empty string/);
    await settle();
    expect(unhandled).toEqual([]);
  });
});
