import { describe, expect, it } from "vitest";
import { AppQStash } from "./app-qstash.js";

describe("AppQStash", () => {
  it("ignores other hosts and says which QStash API it does not model", async () => {
    const model = new AppQStash(() => 0);
    expect(await model.answer(new Request("https://api.example/v2/publish/x", { method: "POST" }))).toBeUndefined();
    const response = await model.answer(new Request("https://qstash.upstash.io/v2/chat/completions", { method: "POST", body: "{}" }));
    expect(response?.status).toBe(501);
    expect(((await response!.json()) as { error: string }).error).toMatchInlineSnapshot(
      `"[workflow-replay] Failed to answer POST /v2/chat/completions: the QStash model accepts the application's messages, schedules, queues, URL groups and DLQ calls, not this one. Answer it with an msw handler in the "handlers" option."`,
    );
  });

  it("keeps schedules it created and answers for them", async () => {
    const model = new AppQStash(() => 42);
    const created = await model.answer(
      new Request("https://qstash.upstash.io/v2/schedules/https://a.test/cron", { method: "POST", headers: { "Upstash-Cron": "0 * * * *" }, body: "hi" }),
    );
    const { scheduleId } = (await created!.json()) as { scheduleId: string };
    expect(scheduleId).toBe("scd_app_1");
    await model.answer(new Request(`https://qstash.upstash.io/v2/schedules/${scheduleId}/pause`, { method: "PATCH" }));
    const got = await model.answer(new Request(`https://qstash.upstash.io/v2/schedules/${scheduleId}`));
    expect(await got!.json()).toEqual({ scheduleId, destination: "https://a.test/cron", cron: "0 * * * *", body: "hi", createdAt: 42, isPaused: true });
    await model.answer(new Request(`https://qstash.upstash.io/v2/schedules/${scheduleId}`, { method: "DELETE" }));
    expect((await model.answer(new Request(`https://qstash.upstash.io/v2/schedules/${scheduleId}`)))!.status).toBe(404);
    expect(model.published.map((m) => [m.api, m.destination, m.cron])).toEqual([["schedule", "https://a.test/cron", "0 * * * *"]]);
  });
});
