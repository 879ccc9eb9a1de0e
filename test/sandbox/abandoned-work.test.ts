// Work a timed-out delivery abandoned is fenced: a step the deadline gave up on that wakes after
// replay() returned (or during a later replay) can reach neither a socket, nor the user's own mocks,
// nor a later replay's handlers, and reads neither a later replay's clock nor its random stream.
// A counting loopback server proves no connection opens; the test's own code still connects.
import http from "node:http";
import net from "node:net";
import { http as mswHttp, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { request as undiciRequest } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { startLoopback, type Loopback } from "./loopback.js";

const FENCED = /\[workflow-replay\] Failed to (send|connect).*step 'hang'.*that replay already ended/s;

/** A gate the test opens after replay() returned, and what the abandoned step did once woken. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let settle!: (outcome: unknown) => void;
  const outcome = new Promise<unknown>((resolve) => (settle = resolve));
  return { open, opened, outcome, settle };
}

/** Replays a workflow whose step "hang" waits for `g`, then runs `work`; the delivery times out first. */
async function abandon(g: ReturnType<typeof gate>, work: () => Promise<unknown>) {
  const result = await replay(
    async (context) => {
      await context.run("hang", async () => {
        await g.opened;
        try {
          g.settle({ value: await work() });
        } catch (error) {
          g.settle({ error });
        }
        return 1;
      });
    },
    { deliveryTimeout: 30, retries: 0 },
  );
  expect(result.status).toBe("failed");
  expect(result.error?.message).toContain("step 'hang'");
  return result;
}

function messageOf(outcome: unknown): string {
  const error = (outcome as { error?: unknown }).error;
  if (!error) return `no error: ${JSON.stringify(outcome)}`;
  const cause = (error as { cause?: unknown }).cause;
  return `${(error as Error).message} ${cause instanceof Error ? cause.message : ""}`;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
let loopback: Loopback;
beforeAll(async () => {
  loopback = await startLoopback();
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await loopback.close();
});
afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  expect(unhandled).toEqual([]);
});

describe("work abandoned by a timed-out delivery", () => {
  const originalConnect = net.Socket.prototype.connect;

  it("cannot fetch once replay() returned: the request fails naming the URL, no connection opens", async () => {
    const g = gate();
    await abandon(g, async () => (await fetch(`${loopback.url}/late`)).text());
    const before = loopback.connections();
    g.open();
    const outcome = await g.outcome;
    expect(messageOf(outcome)).toMatch(FENCED);
    expect(messageOf(outcome)).toContain(`GET ${loopback.url}/late`);
    expect(loopback.connections()).toBe(before);
    // the step settled: the fence is down, the test's own code connects as usual
    await new Promise((resolve) => setImmediate(resolve));
    expect(net.Socket.prototype.connect).toBe(originalConnect);
    expect(await (await fetch(loopback.url)).text()).toBe("loopback");
    expect(loopback.connections()).toBe(before + 1);
  });

  it("refuses http.get, undici.request and raw TCP too, while the test's own code connects", async () => {
    const g = gate();
    await abandon(g, async () => {
      const errors: string[] = [];
      await new Promise<void>((resolve) => {
        http.get(`${loopback.url}/http`, () => resolve()).on("error", (error) => {
          errors.push(error.message);
          resolve();
        });
      });
      await undiciRequest(`${loopback.url}/undici`).then(
        () => errors.push("undici answered"),
        (error: Error) => errors.push(error.message),
      );
      await new Promise<void>((resolve) => {
        net.connect(loopback.port, "127.0.0.1").on("connect", () => resolve()).on("error", (error) => {
          errors.push(error.message);
          resolve();
        });
      });
      return errors;
    });
    const before = loopback.connections();
    // the fence is up: code that is not the abandoned work connects as usual
    expect(await (await fetch(loopback.url)).text()).toBe("loopback");
    expect(loopback.connections()).toBe(before + 1);
    g.open();
    const { value } = (await g.outcome) as { value: string[] };
    expect(value).toHaveLength(3);
    for (const message of value) expect(message).toMatch(FENCED);
    expect(loopback.connections()).toBe(before + 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(net.Socket.prototype.connect).toBe(originalConnect);
  });

  it("does not reach a later replay's handlers, clock or random stream", async () => {
    const route = async (context: any) =>
      context.run("later", async () => {
        const random = Math.random();
        const now = Date.now();
        const body = await (await fetch("https://later.example.test/x")).text();
        return { random, now, body };
      });
    let laterCalls = 0;
    const handlers = [
      mswHttp.get("https://later.example.test/x", () => {
        laterCalls += 1;
        return HttpResponse.text("later");
      }),
    ];
    const reference = await replay(route, { handlers, seed: 7 });
    laterCalls = 0;

    const g = gate();
    const reads: number[] = [];
    await abandon(g, async () => {
      for (let i = 0; i < 5; i++) reads.push(Math.random(), Date.now());
      return (await fetch("https://later.example.test/x")).text();
    });
    const wake = async (context: any) => {
      await context.run("wake", () => {
        g.open(); // the abandoned step wakes while this replay runs
        return 1;
      });
      await g.outcome;
      return route(context);
    };
    const later = await replay(wake, { handlers, seed: 7 });
    expect(messageOf(await g.outcome)).toMatch(FENCED);
    expect(laterCalls).toBe(1); // the later replay's own request only
    // the same draw and answer as without the abandoned step (the clock differs: "later" runs a delivery later)
    const { random, body } = later.output as { random: number; body: string };
    expect({ random, body }).toEqual({ random: (reference.output as { random: number }).random, body: "later" });
    // the abandoned step read the real clock, not the later replay's virtual one
    expect(reads[1]).toBeGreaterThan(Date.UTC(2026, 0, 1));
  });

  it("fences a step the abandoned route body starts after replay() returned", async () => {
    const g = gate();
    const result = await replay(
      async (context) => {
        await context.run("first", () => 1);
        await g.opened; // the route body hangs between steps: the delivery times out outside any step
        await context.run("hang", async () => {
          try {
            g.settle({ value: await (await fetch(`${loopback.url}/from-route`)).text() });
          } catch (error) {
            g.settle({ error });
          }
        });
      },
      { deliveryTimeout: 30, retries: 0 },
    );
    expect(result.status).toBe("failed");
    const before = loopback.connections();
    g.open();
    expect(messageOf(await g.outcome)).toMatch(FENCED);
    expect(loopback.connections()).toBe(before);
  });

  it("reaches neither a listening msw server's handlers nor its onUnhandledRequest", async () => {
    let userCalls = 0;
    const server = setupServer(
      mswHttp.get("https://user.example.test/x", () => {
        userCalls += 1;
        return HttpResponse.text("user");
      }),
    );
    server.listen({ onUnhandledRequest: "error" });
    try {
      const g = gate();
      await abandon(g, async () => (await fetch("https://user.example.test/x")).text());
      g.open();
      expect(messageOf(await g.outcome)).toMatch(FENCED);
      expect(userCalls).toBe(0);
      // the user's server answers the test's own requests, during the fence and after it
      expect(await (await fetch("https://user.example.test/x")).text()).toBe("user");
      expect(userCalls).toBe(1);
    } finally {
      server.close();
    }
  });
});
