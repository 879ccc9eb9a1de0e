import { Client, resend } from "@upstash/qstash";
import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { comparable, runBoth } from "../conformance/both-modes.js";

// The application's own QStash traffic (decision 1500): a step that sends mail through
// @upstash/qstash's real Client, the pattern of Upstash's onboarding tutorial.
const token = "app-token";

describe("the application's own QStash calls", () => {
  it("a publishJSON inside a step completes identically in both drivers and is recorded, not run", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext<{ to: string }>) => {
      const user = await context.run("load", () => ({ email: `${context.requestPayload.to}@mail.test` }));
      const sent = await context.run("send", async () => {
        const client = new Client({ token });
        const { messageId } = await client.publishJSON({ url: "https://mail.test/send", body: { to: user.email }, delay: "10s", headers: { "x-trace": "t1" } });
        return messageId;
      });
      await context.sleep("wait", 5);
      return { sent };
    }, { payload: { to: "ada" } });
    expect(comparable(real)).toEqual(comparable(mock));
    expect(real.published).toEqual(mock.published);
    expect(mock.status).toBe("completed");
    expect(mock.steps.map((s) => s.stepName)).toEqual(["init", "load", "send", "wait"]);
    expect(mock.published).toEqual([
      {
        api: "publish",
        destination: "https://mail.test/send",
        body: JSON.stringify({ to: "ada@mail.test" }),
        headers: { "content-type": "application/json", "x-trace": "t1" },
        delay: "10s",
        method: "POST",
        messageId: "msg_app_1",
        invocation: 2,
      },
    ]);
    expect(mock.output).toEqual({ sent: "msg_app_1" });
  });

  it("batch, enqueue, URL groups, an api provider, schedules, queues and the DLQ are answered by the model", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      return await context.run("admin", async () => {
        const client = new Client({ token });
        const batch = await client.batchJSON([
          { url: "https://a.test/x", body: { n: 1 } },
          { url: "https://b.test/y", body: { n: 2 }, notBefore: 1_900_000_000 },
        ]);
        const queue = client.queue({ queueName: "emails" });
        await queue.upsert({ parallelism: 2 });
        const enqueued = await queue.enqueueJSON({ url: "https://a.test/q", body: { q: true } });
        const group = await client.publishJSON({ urlGroup: "team", body: { hi: 1 } });
        const mail = await client.publishJSON({ api: { name: "email", provider: resend({ token: "re_x" }) }, body: { to: "x@y.z" } });
        const { scheduleId } = await client.schedules.create({ destination: "https://a.test/cron", cron: "*/5 * * * *" });
        await client.schedules.pause({ schedule: scheduleId });
        const schedules = await client.schedules.list();
        await client.schedules.delete(scheduleId);
        const queues = await queue.list();
        await client.urlGroups.addEndpoints({ name: "team", endpoints: [{ url: "https://c.test/" }] });
        const dlq = await client.dlq.listMessages();
        return {
          batch: batch.map((b) => b.messageId),
          enqueued: enqueued.messageId,
          group: Array.isArray(group),
          mail: "messageId" in mail,
          paused: schedules.map((s) => s.isPaused),
          queues: queues.map((q) => q.name),
          dlq: dlq.messages.length,
        };
      });
    });
    expect(comparable(real)).toEqual(comparable(mock));
    expect(real.published).toEqual(mock.published);
    expect(mock.status).toBe("completed");
    expect(mock.output).toEqual({ batch: ["msg_app_1", "msg_app_2"], enqueued: "msg_app_3", group: true, mail: true, paused: [true], queues: ["emails"], dlq: 0 });
    expect(mock.published.map((m) => `${m.api} ${m.destination}${m.queue ? ` queue=${m.queue}` : ""}${m.notBefore ? ` notBefore=${m.notBefore}` : ""}${m.cron ? ` cron=${m.cron}` : ""}`)).toEqual([
      "batch https://a.test/x",
      "batch https://b.test/y notBefore=1900000000",
      "enqueue https://a.test/q queue=emails",
      "publish team",
      "publish https://api.resend.com/emails",
      "schedule https://a.test/cron cron=*/5 * * * *",
    ]);
    // The api provider's token is forwarded as the destination's Authorization header.
    expect(mock.published[4]!.headers.authorization).toBe("Bearer re_x");
  });

  it("the user's msw handlers answer first, in both drivers", async () => {
    const seen: string[] = [];
    const handlers = [
      http.post("https://qstash.upstash.io/v2/publish/*", async ({ request }) => {
        seen.push(await request.text());
        return HttpResponse.json({ messageId: "msg_from_user_handler" });
      }),
    ];
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      return await context.run("send", async () => (await new Client({ token }).publishJSON({ url: "https://mail.test/send", body: { a: 1 } })).messageId);
    }, { handlers });
    expect(comparable(real)).toEqual(comparable(mock));
    expect(mock.output).toBe("msg_from_user_handler");
    expect(mock.published).toEqual([]);
    expect(real.published).toEqual([]);
    expect(seen).toEqual(['{"a":1}', '{"a":1}']);
  });

  it("a publish outside a step repeats on every delivery and is a side effect in both drivers", async () => {
    const { mock, real } = await runBoth(() => async (context: WorkflowContext) => {
      await new Client({ token }).publishJSON({ url: "https://mail.test/hello", body: {} });
      await context.run("one", () => 1);
    });
    expect(comparable(real)).toEqual(comparable(mock));
    expect(real.published).toEqual(mock.published);
    // Two deliveries, each with the auth dry run before the first step: four publishes.
    expect(mock.published.map((m) => m.invocation)).toEqual([1, 1, 2, 2]);
    expect(mock.findings.map((f) => f.kind)).toContain("side-effect-outside-step");
    expect(real.findings.map((f) => f.kind)).toContain("side-effect-outside-step");
  });
});
