// The directory's entry point: Node 22 and later take `node --test examples/node-test/` as one file
// to run (not a folder to search, as Node 20 does), and running a folder runs its index.js. It loads
// the test file, so the directory form runs the same tests on every Node (decision 1406).
import "./workflow.test.mjs";
