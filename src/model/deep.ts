/**
 * Nesting sqlperf models at most. The builders, the rules and libpg-query's own tree writer
 * recurse, and the stack they get differs between the main thread and a worker: a fixed limit,
 * counted while building, gives the same honest warning whatever thread runs the analysis
 * (`--concurrency` must not change results). Chains of the same operator (`a OR b OR ...`,
 * UNION ALL, joins) are built in loops and do not count.
 */
export const MAX_NESTING = 400;

export const TOO_DEEP = `nested more than ${MAX_NESTING} levels deep, too deeply for sqlperf`;

export class TooDeepError extends Error {
  constructor() {
    super(TOO_DEEP);
  }
}

/**
 * Counts nesting while a builder recurses; throws TooDeepError past the limit. No try/finally
 * around each level (it sits on every node): a throw abandons the whole builder.
 */
export class DepthGuard {
  private depth = 0;

  enter(): void {
    if (++this.depth > MAX_NESTING) throw new TooDeepError();
  }

  leave(): void {
    this.depth--;
  }
}
