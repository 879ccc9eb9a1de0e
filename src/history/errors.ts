/**
 * A history file or object that cannot be used: the message names the file (when there is one)
 * and the broken field, e.g. `steps[3].stepType must be one of ..., got "Runn"`.
 */
export class HistoryError extends Error {
  /** The broken field as a path (`steps[3].stepType`), when one field is to blame. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(`[workflow-replay] ${message}`);
    this.name = "HistoryError";
    this.field = field;
  }
}

/** A problem with one field of a history, before the file name and the verb are known. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(field ? `${field} ${problem}` : problem);
    this.name = "FieldError";
  }
}
