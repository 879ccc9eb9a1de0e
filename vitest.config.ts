import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

/**
 * Files that start child processes (a packed install, a vitest or node --test child, the real CLI
 * binary, `npm run demo`): they run in forks in the e2e project (isolated per file in `test:full`).
 */
const E2E = [
  "test/smoke/pack.test.ts",
  "test/cli/cli-binary.test.ts",
  "test/vitest/matchers.test.ts",
  "examples/demo.test.ts",
  "examples/node-test/node-test.test.ts",
  "test/cli/module-systems.test.ts",
  "test/smoke/lazy-peers.test.ts",
  "test/unhandled/unhandled-rejections.test.ts",
];

/**
 * test/unhandled/unhandled-rejections.test.ts runs a vitest child under this same config with
 * VITEST_INCLUDE_FIXTURE=1: then the only project is its fixture (a test that leaks a rejection).
 */
const fixture = process.env.VITEST_INCLUDE_FIXTURE === "1";

/** The consumer matrix's projects (.ci/run): they run against the packed tarball, not here. */
const CONSUMER = ["test/consumer/**"];

/**
 * Files that change the process around the package on purpose (fake timers installed before the
 * import, a listening msw server, nock, undici's global dispatcher): each needs a fresh module graph,
 * so they run isolated in forks in both suites.
 */
const ISOLATED = ["test/sandbox/**"];

/**
 * Only in `npm run test:full` (CI): what the fast suite covers another way, at full cost.
 * - the packed-install smoke test (the consumer matrix and the e2e files use the built package);
 * - docs/guide/fuzzing.md's example verbatim, 300 runs under faults: the fast suite runs the same
 *   kind of property in examples/fuzzing/fuzzing.test.ts (which also keeps the file identical to
 *   the page), pipeline() in src/fast-check/pipeline.test.ts, and an idempotent POST under faults in
 *   test/fast-check/faults.test.ts.
 */
const FULL_ONLY = ["test/smoke/pack.test.ts", "examples/fuzzing/readme-example.test.ts"];

/**
 * `npm test` is the fast suite: JS-only build, in-process files on threads without per-file
 * isolation (the SDK, msw and fast-check are imported once per worker), the conformance property
 * at a smaller run count. `npm run test:full` (WORKFLOW_REPLAY_FULL=1, what CI runs) restores
 * today's run counts, isolates every file and adds the packed-install smoke test.
 */
const full = process.env.WORKFLOW_REPLAY_FULL === "1";

/** The type tests (*.test-d.ts: the vitest matcher augmentation), checked by tsc. */
const typesProject = {
  extends: true as const,
  test: {
    name: "types",
    include: [],
    typecheck: {
      enabled: true,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./test/vitest/tsconfig.typecheck.json",
      // Errors in source files are `npm run typecheck`'s job; here only the type tests count.
      ignoreSourceErrors: true,
    },
  },
};

const inProcess = full ? { pool: "forks" as const, isolate: true } : { pool: "threads" as const, isolate: false };

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
    // Two workers share two cores with whatever else runs: long property tests get room under load.
    testTimeout: 60_000,
    // vitest's default in run mode is one worker fewer than the cores: one worker on two cores.
    maxWorkers: availableParallelism(),
    env: { CONFORMANCE_RUNS: process.env.CONFORMANCE_RUNS ?? (full ? "500" : "30") },
    projects: fixture
      ? [{ extends: true, test: { name: "fixture", include: ["test/unhandled/*.fixture.ts"] } }]
      : [
          ...(full ? [{ extends: true as const, test: { name: "unit", include: ["src/**/*.test.ts"], ...inProcess } }] : []),
          {
            extends: true,
            test: {
              name: full ? "integration" : "in-process",
              include: [...(full ? [] : ["src/**/*.test.ts"]), "test/**/*.test.ts", "examples/**/*.test.ts"],
              exclude: [...E2E, ...CONSUMER, ...ISOLATED, ...(full ? [] : FULL_ONLY)],
              ...inProcess,
            },
          },
          {
            extends: true,
            // forks in test:full; threads (each file still its own module graph) in the fast suite,
            // which spares a process start per file. .ci/run runs both pools.
            test: { name: "isolated", include: ISOLATED.map((glob) => `${glob}/*.test.ts`), pool: full ? "forks" : "threads", isolate: true },
          },
          {
            extends: true,
            // The fast suite reuses a fork for several e2e files (they keep no state in the process;
            // each spawns its own children): about 1 s of CPU less than a fork per file.
            test: { name: "e2e", include: E2E, exclude: full ? [] : FULL_ONLY, pool: "forks", isolate: full },
          },
          // The type tests run in test:full (and `npm run typecheck` checks them too): a tsc run of its
          // own, about 3 s of the fast suite's CPU on two cores.
          ...(full ? [typesProject] : []),
        ],
  },
});
