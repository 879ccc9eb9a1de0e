// nock (which intercepts through @mswjs/interceptors since v14) beside replay(): the workflow is
// answered by replay()'s handlers, nock's interceptors are neither consumed nor asked, and nock works
// as before once the replay ends.
import http from "node:http";
import { http as mswHttp, HttpResponse } from "msw";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replay } from "workflow-replay";
import { startLoopback, type Loopback } from "./loopback.js";

const ORIGIN = "https://nocked.example.test";

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url.replace("https:", "http:"), (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("beside nock", () => {
  let loopback: Loopback;
  beforeAll(async () => {
    loopback = await startLoopback();
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.restore();
    await loopback.close();
  });

  it("answers fetch and http.get from replay()'s handlers, leaving nock's scopes pending", async () => {
    const scope = nock(ORIGIN).get("/item").reply(200, { from: "nock" });
    const httpScope = nock(ORIGIN.replace("https:", "http:")).get("/item").reply(200, { from: "nock" });
    const result = await replay(
      async (context) => {
        const viaFetch = await context.run("fetch", async () => (await (await fetch(`${ORIGIN}/item`)).json()) as { from: string });
        const viaHttp = await context.run("http", async () => JSON.parse((await get(`${ORIGIN}/item`)).body) as { from: string });
        return [viaFetch.from, viaHttp.from];
      },
      {
        handlers: [
          mswHttp.get(`${ORIGIN}/item`, () => HttpResponse.json({ from: "replay" })),
          mswHttp.get(`${ORIGIN.replace("https:", "http:")}/item`, () => HttpResponse.json({ from: "replay" })),
        ],
      },
    );
    expect(result.output).toEqual(["replay", "replay"]);
    expect(scope.isDone()).toBe(false);
    expect(httpScope.isDone()).toBe(false);
    // after the replay, nock answers again
    expect(await (await fetch(`${ORIGIN}/item`)).json()).toEqual({ from: "nock" });
    expect(JSON.parse((await get(`${ORIGIN}/item`)).body)).toEqual({ from: "nock" });
    expect(scope.isDone()).toBe(true);
    expect(httpScope.isDone()).toBe(true);
  });

  it("fails a request nock would let through (allowed net connect), without opening a socket", async () => {
    nock.enableNetConnect();
    const result = await replay(async (context) => context.run("get", async () => (await get(`${loopback.url}/x`)).status), { retries: 0 });
    expect(result.status).toBe("failed");
    expect(JSON.stringify(result.error)).toContain(`${loopback.url}/x`);
    expect(loopback.connections()).toBe(0);
  });
});
