// Every run ends: hung failure functions and context.call handlers are cut off with a message naming
// what never settled, handler errors fail the run with the handler's message, the lock is released
// and the globals are restored, and misuse (nested replays, out-of-range options) is refused clearly.
import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";

const originalDate = globalThis.Date;
const originalRandom = Math.random;

async function expectUsable(): Promise<void> {
  // the lock is free and the globals are the originals again
  const next = await replay(async (context) => context.run("x", () => 1));
  expect(next.status).toBe("completed");
  expect(globalThis.Date).toBe(originalDate);
  expect(Math.random).toBe(originalRandom);
}

describe("every run ends", () => {
  it("cuts off a failureFunction that never settles, naming it", async () => {
    const result = await replay(
      async (context) => {
        await context.run("boom", () => {
          throw new Error("always fails");
        });
      },
      { retries: 0, deliveryTimeout: 50, failureFunction: () => new Promise(() => {}) },
    );
    expect(result.status).toBe("failed");
    // the run failed for its own reason; the failure callback's delivery records what never settled
    expect(JSON.stringify(result.deliveries.at(-1))).toContain("the failureFunction did not settle within 50 ms");
    await expectUsable();
  });

  it("cuts off a context.call handler that never answers, naming the call", async () => {
    const result = await replay(
      async (context) => {
        await context.call("slow", { url: "https://slow.example.test/api", method: "GET" });
      },
      {
        deliveryTimeout: 50,
        handlers: [
          http.get("https://slow.example.test/api", async () => {
            await new Promise(() => {}); // no timer at all: virtual time cannot end it
            return HttpResponse.json({});
          }),
        ],
      },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain('context.call "slow" (GET https://slow.example.test/api): its request handler did not answer within 50 ms');
    await expectUsable();
  });

  it('ends a run whose context.call handler awaits delay("infinite") (a timer on the virtual clock)', async () => {
    const result = await replay(
      async (context) => {
        const { status } = await context.call("slow", { url: "https://slow.example.test/api", method: "GET" });
        return status;
      },
      {
        deliveryTimeout: 1_000,
        handlers: [
          http.get("https://slow.example.test/api", async () => {
            await delay("infinite");
            return HttpResponse.json({});
          }),
        ],
      },
    );
    expect(["completed", "failed"]).toContain(result.status);
    await expectUsable();
  });

  it("ends a wait whose event never comes at its timeout, and cuts off a notify whose handler never answers", async () => {
    // Events and webhooks are data, not callbacks: the simulator answers waits and notifies itself,
    // and a wait without its event ends at its own timeout on the virtual clock.
    const waited = await replay(async (context) => (await context.waitForEvent("wait", "never-sent", { timeout: "1d" })).timeout, { deliveryTimeout: 1_000 });
    expect(waited.status).toBe("completed");
    expect(waited.output).toBe(true);
    // The only user code on a notify's way is an msw handler of the user's for the QStash URL, inside
    // a delivery: the delivery's deadline cuts it off, naming the step.
    const notified = await replay(
      async (context) => {
        await context.run("notify-by-hand", async () => (await fetch("https://qstash.upstash.io/v2/notify/evt", { method: "POST", body: "{}" })).status);
      },
      {
        deliveryTimeout: 50,
        retries: 0,
        handlers: [http.post("https://qstash.upstash.io/v2/notify/:id", () => new Promise<never>(() => {}))],
      },
    );
    expect(notified.status).toBe("failed");
    expect(notified.error?.message).toContain("step 'notify-by-hand'");
    expect(notified.error?.message).toContain("did not settle within 50 ms");
    await expectUsable();
  });

  it("fails a context.call whose handler throws with the handler's message", async () => {
    const result = await replay(
      async (context) => {
        await context.call("broken", { url: "https://broken.example.test/api", method: "GET" });
      },
      {
        handlers: [
          http.get("https://broken.example.test/api", () => {
            throw new Error("handler exploded");
          }),
        ],
      },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain("handler exploded");
    await expectUsable();
  });

  it("fails a fetch whose handler throws with the handler's message, as a failed delivery", async () => {
    const result = await replay(
      async (context) => context.run("get", async () => (await fetch("https://broken.example.test/x")).status),
      {
        retries: 0,
        handlers: [
          http.get("https://broken.example.test/x", () => {
            throw new Error("handler exploded");
          }),
        ],
      },
    );
    expect(result.status).toBe("failed");
    expect(JSON.stringify(result.error)).toContain("handler exploded");
    await expectUsable();
  });

  it("stays interruptible: a runaway route lets the event loop turn between deliveries", async () => {
    let timerFired = false;
    let deliveriesWhenFired = -1;
    let deliveries = 0;
    setTimeout(() => {
      timerFired = true;
      deliveriesWhenFired = deliveries;
    }, 0);
    const result = await replay(
      async (context) => {
        deliveries += 1;
        for (let i = 0; ; i++) await context.run(`step-${i}`, () => i);
      },
      { maxInvocations: 200 },
    );
    expect(result.status).toBe("failed");
    expect(timerFired).toBe(true);
    // the test's own timer ran long before the run's end, not after it
    expect(deliveriesWhenFired).toBeLessThan(deliveries);
  });
});

describe("input hygiene", () => {
  it("refuses a nested replay from the route body, outside any step", async () => {
    let refusal = "";
    await replay(
      async (context) => {
        try {
          await replay(async () => {});
        } catch (error) {
          refusal = (error as Error).message;
        }
        await context.run("x", () => 1);
      },
      { deliveryTimeout: 1_000 },
    );
    expect(refusal).toMatch(/called from inside a workflow that is being replayed/);
    await expectUsable();
  });

  it("refuses deliveryTimeout beyond what a timer holds, and seeds that are not whole or not exact", async () => {
    await expect(replay(async () => {}, { deliveryTimeout: 2 ** 31 })).rejects.toThrow(/"deliveryTimeout" must be at most 2147483647 ms/);
    await expect(replay(async () => {}, { seed: 0.5 })).rejects.toThrow(/"seed" must be a whole number or a string, got 0.5: a fraction/);
    await expect(replay(async () => {}, { seed: 2 ** 60 })).rejects.toThrow(/JavaScript rounds integers .* Pass it as a string/);
    await expect(replay(async () => {}, { seed: Number.NaN })).rejects.toThrow(/"seed" must be a whole number or a string/);
  });

  it("gives every safe integer and every string seed a stream of its own; int32 seeds replay as before", async () => {
    const draw = (seed: number | string) => replay(async (context) => context.run("r", () => [Math.random(), crypto.randomUUID()]), { seed });
    const seeds = [1, 2 ** 32 + 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, 2 ** 53 - 2, "1", "checkout", "checkout!"];
    const results = await Promise.all(seeds.map(draw));
    expect(new Set(results.map((r) => JSON.stringify(r.output))).size).toBe(seeds.length);
    expect(new Set(results.map((r) => r.workflowRunId)).size).toBe(seeds.length);
    expect(results.map((r) => r.seed)).toEqual(seeds);
    // reproducible from the seed the result carries
    const again = await draw(results[7]!.seed);
    expect(again.output).toEqual(results[7]!.output);
    // seed 1's first Math.random() is mulberry32's, as it always was
    expect((results[0]!.output as [number, string])[0]).toBe(0.18967728852294385);
  });
});

describe("a hang inside a parallel group", () => {
  it.each([0, 1, 2])("names the branch that never settled (branch %i of 3)", async (hung) => {
    const names = ["left", "middle", "right"];
    const result = await replay(
      async (context) => {
        await Promise.all(names.map((name, i) => context.run(name, () => (i === hung ? new Promise<number>(() => {}) : i))));
      },
      { deliveryTimeout: 50, retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain(`step '${names[hung]}'`);
    for (const other of names.filter((_, i) => i !== hung)) expect(result.error?.message).not.toContain(`'${other}'`);
  });
});
