// Class: superlinear time in the stages that read every character: the JS/TS prefilter (100k lines
// of `app.get('/*', h)` took 58 s: each quote scanned to the end of the file for a `*/`), the lexer
// and the statement splitter. Each shape is generated at n and 2n; doubling the input must not much
// more than double the time. Medians of a few runs and sizes that take 50 ms or more keep this
// steady on a busy machine; a quadratic stage gives a ratio near 4 and fails.
import { describe, expect, it } from 'vitest';
import { mayHoldSql } from '../../src/embed/prefilter.js';
import { DEFAULT_LIMITS } from '../../src/parse/index.js';
import { lexEach } from '../../src/parse/lexer.js';
import { StatementSplitter } from '../../src/parse/split.js';

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/**
 * Grows n until one warm run takes 50 ms, then compares the median times at n and 2n, measured
 * alternately so that a load spike on the machine hits both.
 */
function doublingRatio(make: (n: number) => string, work: (input: string) => unknown, n = 1000): { n: number; small: number; big: number; ratio: number } {
  let a = make(n);
  // measured warm: the first run of a shape pays for compiling the code
  // a median of three, so that one stall of a busy machine does not stop the growth at a size too small to measure
  while ((work(a), median([time(() => work(a)), time(() => work(a)), time(() => work(a))])) < 50 && n < 1 << 22) a = make((n *= 2));
  const b = make(2 * n);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let k = 0; k < 5; k++) {
    ta.push(time(() => work(a)));
    tb.push(time(() => work(b)));
  }
  const small = median(ta);
  const big = median(tb);
  return { n, small, big, ratio: big / small };
}

/**
 * Linear, or too fast at the largest size for its growth to matter. A shared machine's stalls can
 * spoil one measurement: a second one, at twice the size, decides (a quadratic stage fails both).
 */
function expectLinear(make: (n: number) => string, work: (input: string) => unknown): void {
  let r = doublingRatio(make, work);
  if (r.big >= 50 && r.ratio >= 3) r = doublingRatio(make, work, r.n * 2);
  if (r.big >= 50) expect(r.ratio, JSON.stringify(r)).toBeLessThan(3);
}

/** The lexer feeding the splitter, as parseText runs them (a statement over the size limit keeps one token). */
function sqlStages(text: string): number {
  let chunks = 0;
  const splitter = new StatementSplitter(() => chunks++, DEFAULT_LIMITS.maxStatementLength);
  lexEach(text, 'postgresql', (t) => splitter.feed(t));
  splitter.end();
  return chunks;
}

describe('linear time on generated input', () => {
  it.each<[string, (n: number) => string]>([
    ["JS lines of app.get('/*', h) (an unclosed comment opener in a string)", (n) => "app.get('/*', h);\n".repeat(n)],
    ['JS lines of "--" strings on one line (a minified file)', (n) => 'f("--x");'.repeat(n)],
    ['JS strings starting like a statement, with no FROM', (n) => 'x("select a b c d e f g");\n'.repeat(n)],
  ])('prefilter: %s', (_name, make) => {
    expectLinear(make, (code) => mayHoldSql(code, ['sql'], ['query']));
  }, 120_000);

  it.each<[string, (n: number) => string]>([
    ['many statements', (n) => 'SELECT a, b FROM t WHERE c = 1;\n'.repeat(n)],
    ['one long statement', (n) => `SELECT ${Array.from({ length: n }, (_, i) => `c${i}`).join(', ')} FROM t;`],
    ['comment lines', (n) => '-- a comment line\n'.repeat(n) + 'SELECT 1;'],
    ['block comments never closed', (n) => 'SELECT 1; /* x'.repeat(n)],
    ['an unclosed dollar quote', (n) => `SELECT $$${'x; '.repeat(n)}`],
    ['non-ASCII dollar-quote tags', (n) => 'SELECT $é$ a; b $é$;\n'.repeat(n)],
    ['a CREATE ... BEGIN never ended, then statements', (n) => 'CREATE TRIGGER t BEGIN\n' + 'SELECT 1;\n'.repeat(n)],
    ['COPY FROM stdin data blocks', (n) => 'COPY t FROM stdin;\n1\tx\n\\.\n'.repeat(n)],
    ['backslashes after spaces (psql meta-command checks)', (n) => `SELECT '${'  \\'.repeat(n)}';`],
  ])('lexer and splitter: %s', (_name, make) => {
    expectLinear(make, sqlStages);
  }, 120_000);
});
