import { describe, expect, it } from "vitest";
import { trackEffects } from "../../src/detectors/track-effects.js";
import { replay } from "../../src/replay.js";
import { CORPUS_FILE, caseOf, findingsOf, onlyFinding, runCase, pinned, sourceAt, itStaysCleanOnCorrectCases } from "./helpers.js";

const kind = "side-effect-outside-step";

describe("side-effect-outside-step", () => {
  it("reports a POST outside a step as an error, counted over every delivery and dry run", async () => {
    const finding = await onlyFinding(kind, "POSTs a notification");
    expect(finding).toMatchObject({ severity: "error", invocation: 1, location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^fetch\("https:\/\/api\.test\/notify"/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"POST https://api.test/notify was requested outside a step, first in the auth dry run of delivery 1 at corpus.ts:<line>: it ran 6 times in this run (in 3 deliveries, 3 of them in the auth dry run that precedes each delivery), because code outside steps runs again on every delivery and its result is not recorded. Move it into a step: context.run("send", () => fetch(...)), or use context.call("send", { url, method: "POST", body })."`);
  });

  it("reports a GET outside a step as a warning", async () => {
    const finding = await onlyFinding(kind, "GETs its config");
    expect(finding.severity).toBe("warning");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"GET https://api.test/config was requested outside a step, first in the auth dry run of delivery 1 at corpus.ts:<line>: it ran 4 times in this run (in 2 deliveries, 2 of them in the auth dry run that precedes each delivery), because code outside steps runs again on every delivery and its result is not recorded. Move it into a step so its response is recorded: context.run("fetch-data", () => fetch(...)), or use context.call."`);
  });

  it("reports a tracked database write outside a step", async () => {
    const finding = await onlyFinding(kind, "writes to a tracked database client");
    expect(finding).toMatchObject({ severity: "error", location: { file: CORPUS_FILE } });
    expect(sourceAt(finding.location)).toMatch(/^insert\(\{ run/);
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"db.insert() was called outside a step, first in delivery 2 at corpus.ts:<line>: it ran twice in this run (in 2 deliveries), because code outside steps runs again on every delivery and its result is not recorded. Move it into a step: context.run("insert", () => db.insert(...))."`);
  });

  it("names nested tracked objects by their path", async () => {
    const finding = await onlyFinding(kind, "charges through a tracked namespace");
    expect(pinned(finding.message)).toMatchInlineSnapshot(`"payments.charge() was called outside a step, first in delivery 2 at corpus.ts:<line>: it ran twice in this run (in 2 deliveries), because code outside steps runs again on every delivery and its result is not recorded. Move it into a step: context.run("charge", () => payments.charge(...))."`);
  });

  it("counts a request once per execution: a workflow with 3 steps makes it 8 times", async () => {
    const result = await replay(async (context) => {
      await fetch("https://api.test/notify", { method: "POST", body: "{}" });
      for (let i = 0; i < 3; i++) await context.run(`s-${i}`, () => i);
    }, caseOf(kind, "POSTs a notification").options);
    expect(result.invocations).toBe(4);
    const [finding] = findingsOf(result, kind);
    expect(finding!.message).toMatch(/it ran 8 times in this run \(in 4 deliveries, 4 of them in the auth dry run/);
  });

  it("can be turned off", async () => {
    const result = await runCase(caseOf(kind, "POSTs a notification"), { checks: { [kind]: "off" } });
    expect(result.findings).toEqual([]);
  });

  itStaysCleanOnCorrectCases(kind);
});

describe("trackEffects()", () => {
  it("forwards calls, keeps `this` and private fields, and reports nothing outside a replay", async () => {
    class Mailer {
      #sent: string[] = [];
      async send(to: string) {
        this.#sent.push(to);
        return this.#sent.length;
      }
      get count() {
        return this.#sent.length;
      }
    }
    const mailer = trackEffects(new Mailer());
    expect(await mailer.send("a@test")).toBe(1);
    expect(mailer.count).toBe(1);
    expect(trackEffects(new Mailer())).not.toBe(mailer);
    expect(mailer.send).toBe(mailer.send);
  });

  it("names a class instance's calls after its class by default", async () => {
    class Queue {
      async push(job: string) {
        return job;
      }
    }
    const queue = trackEffects(new Queue());
    const result = await replay(async (context) => {
      await queue.push("x");
      await context.run("after", () => 1);
    });
    expect(findingsOf(result, kind)[0]!.message).toMatch(/^Queue\.push\(\) was called outside a step/);
  });

  it("throws a clear error for a value that is not an object", () => {
    expect(() => trackEffects(42 as never)).toThrowErrorMatchingInlineSnapshot(`[TypeError: [workflow-replay] Failed to track effects: trackEffects() takes an object whose methods have effects, got number. Pass the client itself, e.g. trackEffects(db, "db").]`);
  });
});
