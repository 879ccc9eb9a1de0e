/**
 * The microtask ticks of the SDK's `await this.dispatchLifecycle("afterExecution", ...)` (and of
 * `dispatchDebug`) with no middlewares: each awaits `executeMiddlewares`, which awaits two
 * `Promise.all` of nothing. So the last memoized step of a delivery resolves 13 ticks after it is
 * awaited, not 10, as in the SDK.
 */
export async function afterExecutionDispatch(): Promise<void> {
  await executeNoMiddlewares();
}

async function executeNoMiddlewares(): Promise<void> {
  await Promise.all([]);
  await Promise.all([]);
}
