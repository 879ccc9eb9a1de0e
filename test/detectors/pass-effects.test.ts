import { Client } from "@upstash/qstash";
import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { replay } from "../../src/replay.js";
import type { ReplayOptions } from "../../src/types.js";

// A detector pass that runs a step function again (the straight-through pass of lost-step-state and
// non-serializable-result) is answered from the run's own requests: the user's handlers, the app's
// QStash client and the result see exactly what they see with the detectors off (decision 1290).

const off: ReplayOptions["checks"] = { "lost-step-state": "off", "non-serializable-result": "off" };

function counting() {
  const seen: string[] = [];
  const handlers = [
    http.get("https://api.test/user", () => {
      seen.push("GET /user");
      return HttpResponse.json({ email: "ada@mail.test", total: 6 });
    }),
    http.post("https://api.test/charges", async ({ request }) => {
      seen.push(`POST /charges ${await request.text()}`);
      return HttpResponse.json({ ok: true });
    }),
  ];
  return { seen, handlers };
}

describe("a step function run again by a detector pass", () => {
  it("gets the run's answers: the user's handler sees each request once, as with the detectors off", async () => {
    const route = async (context: WorkflowContext) => {
      let total = 0;
      await context.run("load", async () => {
        total = ((await (await fetch("https://api.test/user")).json()) as { total: number }).total;
      });
      await context.sleep("wait", 10);
      return await context.run("charge", async () => {
        const res = await fetch("https://api.test/charges", { method: "POST", body: JSON.stringify({ amount: total }) });
        return res.status;
      });
    };
    const on = counting();
    const withDetectors = await replay(route, { handlers: on.handlers });
    const without = counting();
    const withoutDetectors = await replay(route, { handlers: without.handlers, checks: off });

    expect(on.seen).toEqual(without.seen);
    expect(on.seen).toEqual(["GET /user", 'POST /charges {"amount":0}']);
    expect(withDetectors.output).toBe(withoutDetectors.output);
    // the lost value shows in the request the later step sends, though both answers are 200
    const finding = withDetectors.findings.find((f) => f.kind === "lost-step-state");
    expect(finding?.severity).toBe("error");
    expect(finding?.message).toContain('{"amount":0}');
    expect(finding?.message).toContain('{"amount":6}');
  });

  it("a request the run's own execution never made is not sent, and the pass decides nothing", async () => {
    const route = async (context: WorkflowContext) => {
      let user: { email: string } | undefined;
      await context.run("load", async () => {
        user = { email: "ada@mail.test" };
      });
      // the step's function asks for a URL that depends on the lost value: straight through it is
      // another request than the one the run made, which the pass must neither send nor judge by
      return await context.run("notify", async () => {
        const res = await fetch(user ? "https://api.test/user" : "https://api.test/charges", { method: user ? "GET" : "POST" });
        return res.status;
      });
    };
    const on = counting();
    const result = await replay(route, { handlers: on.handlers });
    expect(on.seen).toEqual(["POST /charges "]);
    expect(result.status).toBe("completed");
    expect(result.findings.filter((f) => f.kind === "lost-step-state")).toEqual([]);
  });

  it("a publish through the app's QStash client is not published twice", async () => {
    const route = async (context: WorkflowContext) => {
      let messageId = "";
      await context.run("send", async () => {
        messageId = (await new Client({ token: "app-token" }).publishJSON({ url: "https://mail.test/send", body: { a: 1 } })).messageId;
      });
      await context.sleep("wait", 5);
      return await context.run("report", () => `sent ${messageId}`);
    };
    const withDetectors = await replay(route);
    const withoutDetectors = await replay(route, { checks: off });
    expect(withDetectors.published).toHaveLength(1);
    expect(withDetectors.published).toEqual(withoutDetectors.published);
    expect(withDetectors.findings.map((f) => f.kind)).toContain("lost-step-state");
  });
});
