// http/https interception is applied on the first http call of a replay, not for every replay
// (decision 1304): a replay that makes no http request leaves http, Headers, Request and Response
// alone; one that does is answered by its handlers through every entry point, and everything is
// the original again afterwards, also when the user's own msw server starts during the replay.
import http from "node:http";
import https from "node:https";
import { http as mswHttp, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { describe, expect, it } from "vitest";
import { replay } from "workflow-replay";

const API = "https://tripwire.example.test/item";

function body(request: http.ClientRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve(text));
    });
    request.on("error", reject);
  });
}

const originals = () => ({
  httpRequest: http.request,
  httpGet: http.get,
  ClientRequest: http.ClientRequest,
  httpsRequest: https.request,
  httpsGet: https.get,
  Headers: globalThis.Headers,
  Request: globalThis.Request,
  Response: globalThis.Response,
});

describe("http interception on first use", () => {
  const before = originals();
  const handlers = [mswHttp.get(API, ({ request }) => HttpResponse.text(`replay ${new URL(request.url).search}`))];

  it("leaves Headers, Request and Response alone in a replay that makes no http request", async () => {
    const result = await replay(async (context) =>
      context.run("look", () => globalThis.Headers === before.Headers && globalThis.Request === before.Request && globalThis.Response === before.Response),
    );
    expect(result.output).toBe(true);
    expect(originals()).toEqual(before);
  });

  it("answers http.get, http.request, new ClientRequest, https.get and https.request from the replay's handlers", async () => {
    const result = await replay(
      async (context) =>
        context.run("all", async () => [
          await body(http.get(`${API.replace("https:", "http:")}?via=http.get`)),
          await body(http.request(`${API.replace("https:", "http:")}?via=http.request`).end()),
          await body(new http.ClientRequest(`${API.replace("https:", "http:")}?via=ClientRequest`).end()),
          await body(https.get(`${API}?via=https.get`)),
          await body(https.request(`${API}?via=https.request`).end()),
        ]),
      { handlers: [...handlers, mswHttp.get(API.replace("https:", "http:"), ({ request }) => HttpResponse.text(`replay ${new URL(request.url).search}`))] },
    );
    expect(result.status).toBe("completed");
    expect(result.output).toEqual(["replay ?via=http.get", "replay ?via=http.request", "replay ?via=ClientRequest", "replay ?via=https.get", "replay ?via=https.request"]);
    expect(originals()).toEqual(before);
  });

  it("fails an unhandled http request naming its URL", async () => {
    const result = await replay(async (context) => context.run("get", () => body(https.get("https://nobody.example.test/x"))), { retries: 0 });
    expect(result.status).toBe("failed");
    expect(JSON.stringify(result.error)).toContain("https://nobody.example.test/x");
    expect(originals()).toEqual(before);
  });

  it("answers the workflow from the replay when the user's msw server starts during it, before any http call", async () => {
    let userCalls = 0;
    const late = setupServer(
      mswHttp.get(API, () => {
        userCalls += 1;
        return HttpResponse.text("user server");
      }),
    );
    try {
      const result = await replay(
        async (context) => {
          await context.run("start-server", () => {
            late.listen({ onUnhandledRequest: "bypass" });
            return 1;
          });
          return await context.run("get", () => body(https.get(`${API}?via=late`)));
        },
        { handlers },
      );
      expect(result.output).toBe("replay ?via=late");
      expect(userCalls).toBe(0);
      // the user's server answers the test's own http requests after the replay
      expect(await body(https.get(API))).toBe("user server");
      expect(userCalls).toBe(1);
    } finally {
      late.close();
    }
    // the server reused the harness's interceptor (it held the registration): nothing of it is left
    expect(originals()).toEqual(before);
    const next = await replay(async (context) => context.run("get", () => body(https.get(`${API}?via=next`))), { handlers });
    expect(next.output).toBe("replay ?via=next");
    expect(originals()).toEqual(before);
  });
});
