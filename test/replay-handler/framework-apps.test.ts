import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fromNextjs } from "../../src/qstash/adapters.js";
import { simulatorEnv } from "../../src/qstash/env.js";
import { fromAstro, fromH3, fromReactRouter, fromSolidStart, fromSvelteKit, fromTanStack } from "../../src/qstash/framework-adapters.js";
import { replayHandler } from "../../src/qstash/replay-handler.js";

// Each route file under ./apps is written the way its framework's Upstash quickstart writes it: no
// env option, so the SDK reads QSTASH_URL / QSTASH_TOKEN / the signing keys from process.env, which
// the test points at the simulator before importing the file.
const URL = "https://apps.test/api/workflow";
const options = { payload: { name: "ada" }, url: URL };

describe("route files of every framework the SDK ships an adapter for", () => {
  beforeAll(() => {
    for (const [name, value] of Object.entries(simulatorEnv())) if (value !== undefined) vi.stubEnv(name, value);
  });
  afterAll(() => vi.unstubAllEnvs());

  const expectGreeting = (result: Awaited<ReturnType<typeof replayHandler>>, output = "HELLO ADA") => {
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("completed");
    expect(result.output).toBe(output);
    expect(result.steps.map((s) => s.stepName)).toEqual(["init", "greet", "pause", "shout"]);
    expect(result.invocations).toBe(4);
  };

  it("Nuxt / h3: server/api/workflow.ts through fromH3 (a real h3 app)", async () => {
    const { default: handler } = await import("./apps/nuxt-server-api-workflow.js");
    expectGreeting(await replayHandler(await fromH3(handler), options));
  });

  it("SvelteKit: +server.ts through fromSvelteKit", async () => {
    const route = await import("./apps/sveltekit-routes-api-workflow-server.js");
    expectGreeting(await replayHandler(fromSvelteKit(route), options));
  });

  it("SolidStart: an API route through fromSolidStart", async () => {
    const route = await import("./apps/solidstart-routes-api-workflow.js");
    expectGreeting(await replayHandler(fromSolidStart(route), options));
  });

  it("Astro: an endpoint through fromAstro, with the APIContext the route function reads", async () => {
    const endpoint = await import("./apps/astro-pages-api-workflow.js");
    expectGreeting(await replayHandler(fromAstro(endpoint, { locals: { site: "mars" } }), options), "HELLO ADA FROM MARS");
  });

  it("TanStack Start: a server route handler through fromTanStack", async () => {
    const { workflow } = await import("./apps/tanstack-routes-api-workflow.js");
    expectGreeting(await replayHandler(fromTanStack(workflow), options));
  });

  it("React Router v7: a resource route's action through fromReactRouter", async () => {
    const route = await import("./apps/react-router-routes-api-workflow.js");
    expectGreeting(await replayHandler(fromReactRouter(route), options));
  });

  it("serveMany: a Next.js catch-all route serving two workflows, one invoking the other", async () => {
    const route = await import("./apps/nextjs-serve-many-route.js");
    const result = await replayHandler(fromNextjs(route), { payload: { name: "ada" }, url: "https://apps.test/api/workflow/greet", workflows: ["greet", "shout"] });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe("completed");
    expect(result.output).toBe("HELLO ADA");
    expect(result.steps.map((s) => `${s.stepType}:${s.stepName}`)).toEqual(["Initial:init", "Run:greet", "Invoke:shout"]);
    expect(Object.values(result.children).map((c) => c.output)).toEqual(["HELLO ADA"]);
  });

  it("explains a value that is not an adapter", async () => {
    expect(() => fromSvelteKit({} as never)).toThrowErrorMatchingInlineSnapshot(
      `[ReplayUsageError: [workflow-replay] Failed to adapt the SvelteKit route: expected an object with a POST function (what serve() / serveMany() return), got object.]`,
    );
    expect(() => fromReactRouter(undefined as never)).toThrow(/Failed to adapt the React Router action/);
    await expect(fromH3(42 as never)).rejects.toThrow(/Failed to adapt the h3 event handler/);
  });
});
