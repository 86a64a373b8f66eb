/**
 * A one-line progress counter on stderr for long runs: only when stderr is a terminal, never in CI,
 * shown after a short delay (a quick run prints nothing) and erased before any output is written.
 */
export interface Progress {
  tick(done: number): void;
  stop(): void;
}

const NONE: Progress = { tick() {}, stop() {} };

export function progress(total: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  const ci = process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
  if (!enabled || !stream.isTTY || ci || total < 20) return NONE;
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    tick(done) {
      const now = Date.now();
      if (now - started < 500 || now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[Ksqlperf: ${done}/${total} files`);
    },
    stop() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
