/** Exit codes, documented in `--help` and the README. */
export const EXIT = {
  /** Done (and verified, where the command verifies). */
  ok: 0,
  /** An error; nothing was changed. */
  error: 1,
  /** Bad command line. */
  usage: 2,
  /** Applied, but a step needs the user (credentials, a manual edit). */
  needsUser: 3,
  /** Applied, but installing packages or a verification check failed. */
  verifyFailed: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: printed as one clear message, never a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
    this.name = 'UsageError';
  }
}
