// The npm undici client (request, its own fetch, an explicit Client) and raw TCP from a workflow:
// answered by replay()'s handlers or refused, a user's MockAgent untouched, no connection opened.
import net from "node:net";
import { http, HttpResponse } from "msw";
import { Client, fetch as undiciFetch, getGlobalDispatcher, MockAgent, request, setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { startLoopback, type Loopback } from "./loopback.js";

const API = "https://undici.example.test";

describe("the npm undici client", () => {
  let loopback: Loopback;
  const before = getGlobalDispatcher();
  const agent = new MockAgent();
  beforeAll(async () => {
    loopback = await startLoopback();
    agent.disableNetConnect();
    agent.get(API).intercept({ path: "/item" }).reply(200, { from: "mock-agent" }).persist();
    setGlobalDispatcher(agent);
  });
  afterAll(async () => {
    setGlobalDispatcher(before);
    await agent.close();
    await loopback.close();
  });

  it("answers undici.request and undici.fetch from replay()'s handlers, before the user's MockAgent", async () => {
    let posted = "";
    const result = await replay(
      async (context) => {
        const a = await context.run("request", async () => {
          const { statusCode, body } = await request(`${API}/item`);
          return { statusCode, body: (await body.json()) as { from: string } };
        });
        const b = await context.run("fetch", async () => (await (await undiciFetch(`${API}/item`)).json()) as { from: string });
        const c = await context.run("post", async () => {
          const { statusCode } = await request(`${API}/submit`, { method: "POST", body: JSON.stringify({ n: 1 }), headers: { "content-type": "application/json" } });
          return statusCode;
        });
        return [a, b, c];
      },
      {
        handlers: [
          http.get(`${API}/item`, () => HttpResponse.json({ from: "replay" })),
          http.post(`${API}/submit`, async ({ request: r }) => {
            posted = await r.text();
            return new HttpResponse(null, { status: 201 });
          }),
        ],
      },
    );
    expect(result.status).toBe("completed");
    expect(result.output).toEqual([{ statusCode: 200, body: { from: "replay" } }, { from: "replay" }, 201]);
    expect(posted).toBe('{"n":1}');
    // the user's MockAgent answers again after the replay
    expect(getGlobalDispatcher()).toBe(agent);
    const { body } = await request(`${API}/item`);
    expect(await body.json()).toEqual({ from: "mock-agent" });
  });

  it("fails an unhandled undici request naming its URL", async () => {
    const result = await replay(async (context) => context.run("get", async () => (await request(`${loopback.url}/nope`)).statusCode), { retries: 0 });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain(`GET ${loopback.url}/nope`);
    expect(loopback.connections()).toBe(0);
  });

  it("refuses an explicit undici Client's connection with a message that says what to do", async () => {
    const result = await replay(
      async (context) =>
        context.run("client", async () => {
          const client = new Client(loopback.url);
          try {
            return (await client.request({ path: "/", method: "GET" })).statusCode;
          } finally {
            await client.close().catch(() => {});
          }
        }),
      { retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain(`Failed to connect to 127.0.0.1:${loopback.port}`);
    expect(loopback.connections()).toBe(0);
  });
});

describe("raw TCP from a workflow", () => {
  let loopback: Loopback;
  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterAll(() => loopback.close());

  it("is refused and reported, with the trackEffects advice", async () => {
    const result = await replay(
      async (context) =>
        context.run("db", () =>
          new Promise<string>((resolve, reject) => {
            const socket = net.connect(loopback.port, "127.0.0.1", () => resolve("connected"));
            socket.on("error", reject);
          }),
        ),
      { retries: 0 },
    );
    expect(result.status).toBe("failed");
    expect(result.error?.message).toContain(`Failed to connect to 127.0.0.1:${loopback.port}`);
    expect(result.error?.message).toContain("trackEffects");
    expect(loopback.connections()).toBe(0);
  });

  it("is reported as a side effect outside a step when the route body connects", async () => {
    const result = await replay(async (context) => {
      await new Promise<void>((resolve) => {
        const socket = net.connect(loopback.port, "127.0.0.1");
        socket.on("error", () => resolve());
        socket.on("connect", () => resolve());
      });
      await context.run("after", () => 1);
    });
    expect(loopback.connections()).toBe(0);
    expect(result.findings.map((f) => f.kind)).toContain("side-effect-outside-step");
    // and code that is not the workflow's still connects, after the replay
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      // the loopback greets every connection it accepted: once the greeting arrives, it has counted it
      const s = net.connect(loopback.port, "127.0.0.1").on("data", () => resolve(s)).on("error", reject);
    });
    socket.destroy();
    expect(loopback.connections()).toBe(1);
  });
});
