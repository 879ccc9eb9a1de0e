import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", vitest: "src/vitest/index.ts", jest: "src/jest/index.ts", "fast-check": "src/fast-check/index.ts", cli: "src/cli/index.ts" },
  format: ["esm", "cjs"],
  // Shared chunks in CJS too: the subpaths must share one engine (one replay lock, one scope).
  splitting: true,
  shims: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  external: ["@upstash/workflow", "msw", "fast-check", "vitest", "expect", "zod", "express", "tsx"],
});
