/** A mistake in how the CLI was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`[workflow-replay] ${message}`);
    this.name = "UsageError";
  }
}
