// Run only by unhandled-rejections.test.ts, under the project's own vitest config: a test that
// passes but leaves a promise rejected and unhandled.
import { it } from "vitest";

it("passes but leaks a rejected promise", async () => {
  void Promise.reject(new Error("leaked on purpose by rejection.fixture.ts"));
  await new Promise((resolve) => setTimeout(resolve, 20));
});
