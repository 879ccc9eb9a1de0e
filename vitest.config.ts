import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples and integration tests import the BUILT package, so what ships is what is tested
    // (`npm test` builds first). `workflow-replay/<sub>` maps to dist/<sub>.js.
    alias: [
      { find: /^workflow-replay$/, replacement: dist("index.js") },
      { find: /^workflow-replay\/(.+)$/, replacement: dist("$1.js") },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    // test/consumer holds the consumer matrix's projects (.ci/run), which run against the packed tarball.
    exclude: ["**/node_modules/**", "test/consumer/**"],
    testTimeout: 30_000,
    typecheck: {
      // `vitest run` also type-checks the *.test-d.ts files (the vitest matcher augmentation).
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./test/vitest/tsconfig.typecheck.json",
      // Errors in source files are `npm run typecheck`'s job; here only the type tests count.
      ignoreSourceErrors: true,
    },
  },
});
