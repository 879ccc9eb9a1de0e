// The fence between replays goes once no abandoned step can run any more: a step that waits forever
// on a promise nobody can resolve is garbage, and with it the fence (net.Socket#connect is the
// original again). Heap-based, not time-based: gc() is called until the registry has run.
import net from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { replay } from "workflow-replay";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

it("lowers the fence once the abandoned step can never run again", async () => {
  const originalConnect = net.Socket.prototype.connect;
  const result = await replay(async (context) => context.run("forever", () => new Promise<never>(() => {})), { deliveryTimeout: 20, retries: 0 });
  expect(result.status).toBe("failed");
  expect(net.Socket.prototype.connect).not.toBe(originalConnect); // the fence is up
  for (let i = 0; i < 50 && net.Socket.prototype.connect !== originalConnect; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(net.Socket.prototype.connect).toBe(originalConnect);
});
