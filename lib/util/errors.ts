/**
 * Errors every layer may raise for its caller to show as it should: a
 * `UsageError` is bad command-line input (the commands exit 2 for it).
 * @module
 */

/** Bad command-line input: the commands print its message and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
