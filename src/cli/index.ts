#!/usr/bin/env node
// The workflow-replay command. See ./help.ts for what it does and ./main.ts for how it runs.
import { main } from "./main.js";

main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  now: () => performance.now(),
}).then((code) => {
  process.exitCode = code;
});
