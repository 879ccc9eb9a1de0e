// The CommonJS entry loads without msw (jest's CommonJS runtime cannot require msw 3 or msw 2.15's
// ESM-only rettime) and loads it on the first request a handler answers (decision 1402).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

const SCRIPT = `
const loaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]msw[\\\\/]/.test(file));
const { replay } = require("./dist/index.cjs");
const atImport = loaded();
(async () => {
  const clean = await replay(async (context) => context.run("one", () => 1));
  const withoutHandlers = loaded();
  const { http, HttpResponse } = require("msw");
  const handlers = [http.get("https://api.test/n", () => HttpResponse.json({ n: 2 }))];
  const fetched = await replay(async (context) => context.run("get", async () => (await fetch("https://api.test/n")).json()), { handlers });
  console.log(JSON.stringify({ atImport, withoutHandlers, clean: clean.output, fetched: fetched.output }));
})();
`;

it("requires msw only when a handler answers a request", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", SCRIPT], { cwd: root });
  expect(JSON.parse(stdout)).toEqual({ atImport: false, withoutHandlers: false, clean: 1, fetched: { n: 2 } });
}, 60_000);
