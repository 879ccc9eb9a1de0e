import type { WorkflowContext } from "@upstash/workflow";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { comparable, runBoth } from "./both-modes.js";

// One random stream per run, drawn identically in both drivers (decision 1501): msw's and the
// SDK's own draws come from a stream of their own, so they cannot shift the user's.
describe("random values inside steps", () => {
  const route = () => async (context: WorkflowContext) => {
    const width = await context.run("width", () => 2 + Math.floor(Math.random() * 3));
    const ids = await Promise.all(Array.from({ length: width }, (_, i) => context.run(`id-${i}`, () => crypto.randomUUID())));
    const call = await context.call("ping", { url: "https://api.test/ping", method: "GET" });
    const bytes = await context.run("bytes", () => Array.from(crypto.getRandomValues(new Uint8Array(4))));
    return { width, ids, bytes, call: call.status };
  };
  const handlers = [http.get("https://api.test/ping", () => HttpResponse.json({ pong: true }))];

  it.each([1, 2, 3, 99])("seed %i: same step results, ids and invocation counts in both drivers", async (seed) => {
    const { mock, real } = await runBoth(route, { seed, handlers });
    expect(mock.status).toBe("completed");
    expect(comparable(real)).toEqual(comparable(mock));
  });

  it("different seeds draw different values, the same seed the same", async () => {
    const a = await runBoth(route, { seed: 5, handlers });
    const b = await runBoth(route, { seed: 5, handlers });
    const c = await runBoth(route, { seed: 6, handlers });
    expect(a.mock.output).toEqual(b.mock.output);
    expect(a.real.output).toEqual(b.real.output);
    expect(a.mock.output).not.toEqual(c.mock.output);
  });
});
