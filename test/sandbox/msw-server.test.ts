// A user's own msw server, listening the standard way (setupServer().listen() for the whole file),
// in each onUnhandledRequest mode: replay()'s handlers answer the replayed workflow first and alone,
// an unhandled request fails naming its URL, no socket opens, and the user's server works as before.
import { serve } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay, replayHandler, simulatorEnv } from "workflow-replay";
import { startLoopback, type Loopback } from "./loopback.js";

const API = "https://api.example.test/user";

describe.each(["error", "warn", "bypass"] as const)('beside a listening msw server (onUnhandledRequest: "%s")', (mode) => {
  let userCalls = 0;
  const server = setupServer(
    http.get(API, () => {
      userCalls += 1;
      return HttpResponse.json({ from: "user-server" });
    }),
  );
  let loopback: Loopback;
  beforeAll(async () => {
    loopback = await startLoopback();
    server.listen({ onUnhandledRequest: mode });
  });
  afterAll(async () => {
    server.close();
    await loopback.close();
  });

  it("answers the workflow's request with replay()'s handlers only", async () => {
    userCalls = 0;
    const result = await replay(
      async (context) => context.run("get", async () => (await (await fetch(API)).json()) as { from: string }),
      { handlers: [http.get(API, () => HttpResponse.json({ from: "replay" }))] },
    );
    expect(result.status).toBe("completed");
    expect(result.output).toEqual({ from: "replay" });
    expect(userCalls).toBe(0);
  });

  it("fails an unhandled request naming its URL, without opening a socket or asking the user's server", async () => {
    userCalls = 0;
    const target = `${loopback.url}/private`;
    const result = await replay(async (context) => context.run("get", async () => (await fetch(target)).status), { retries: 0 });
    expect(result.status).toBe("failed");
    expect(JSON.stringify(result.error)).toContain(`GET ${target}`);
    const own = await replay(async (context) => context.run("get", async () => (await fetch(API)).status), { retries: 0 });
    expect(own.status).toBe("failed");
    expect(JSON.stringify(own.error)).toContain(`no request handler matches it`);
    expect(userCalls).toBe(0);
    expect(loopback.connections()).toBe(0);
  });

  it("leaves the user's server working after the replay", async () => {
    userCalls = 0;
    await replay(async (context) => context.run("x", () => 1));
    const body = (await (await fetch(API)).json()) as { from: string };
    expect(body).toEqual({ from: "user-server" });
    expect(userCalls).toBe(1);
  });

  it("answers replayHandler()'s QStash traffic in the simulator, not at the user's server", async () => {
    const { handler } = serve(
      async (context) => {
        const user = await context.run("get", async () => (await (await fetch(API)).json()) as { from: string });
        return await context.run("echo", () => user.from);
      },
      { env: simulatorEnv() },
    );
    userCalls = 0;
    const result = await replayHandler(handler, { handlers: [http.get(API, () => HttpResponse.json({ from: "replay" }))] });
    expect(result.status).toBe("completed");
    expect(result.output).toBe("replay");
    expect(userCalls).toBe(0);
  });
});

describe("an msw server started during a replay", () => {
  it("keeps working after the replay ends, and the harness lets go of fetch once it closes", async () => {
    const originalFetch = globalThis.fetch;
    const late = setupServer(http.get(API, () => HttpResponse.json({ from: "late" })));
    const result = await replay(async (context) => {
      await context.run("start-server", () => {
        late.listen({ onUnhandledRequest: "bypass" });
        return 1;
      });
      return await context.run("get", async () => (await (await fetch(API)).json()) as { from: string });
    }, { handlers: [http.get(API, () => HttpResponse.json({ from: "replay" }))] });
    expect(result.output).toEqual({ from: "replay" });
    try {
      expect(await (await fetch(API)).json()).toEqual({ from: "late" });
    } finally {
      late.close();
    }
    expect(globalThis.fetch).toBe(originalFetch);
  });
});
