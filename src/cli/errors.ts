/** A mistake in how sqlperf was called: reported in one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes, as ESLint's. */
export const EXIT = { ok: 0, problems: 1, fatal: 2 } as const;
