// Class: memory that grew with the input. Statements stream through the analysis (one statement's
// tokens and tree at a time; a statement over the size limit keeps one token), and at most
// maxMessagesPerFile messages are kept per file. Measured as the peak RSS of the CLI's own process
// at n and 4n: what a file adds must not grow with its statements or findings (before: 1M
// statements ran out of memory at 4.4 GB; 100k SELECT * took 617 MB; a 10 MB statement 357 MB).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt } from '../cli-helpers.js';
import { tempDir } from './helpers.js';

/** Runs the built CLI in a child process; returns its exit code, output and peak RSS in MB. */
function lintPeak(args: string[], cwd: string): { code: number | null; stdout: string; peakMb: number } {
  const probe = `process.on('exit', () => process.stderr.write('\\nsqlperf-test-maxrss ' + process.resourceUsage().maxRSS + '\\n')); import(${JSON.stringify(bin)});`;
  // `node -e` leaves argv[1] to the first argument: a placeholder keeps the CLI's arguments at argv[2...]
  const r = spawnSync(process.execPath, ['-e', probe, 'sqlperf', ...args], { cwd, encoding: 'utf8', timeout: 240_000, maxBuffer: 256 * 1024 * 1024 });
  const kb = /sqlperf-test-maxrss (\d+)/.exec(r.stderr)?.[1];
  return { code: r.status, stdout: r.stdout, peakMb: kb ? Number(kb) / 1024 : NaN };
}

const WILDCARD = "SELECT id FROM users WHERE email LIKE '%x';\n";

describe('memory stays bounded as one file grows', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    ensureBuilt();
    t = tempDir('memory');
  }, 240_000);
  afterAll(() => t.done());

  it('4x the statements, each with a finding: the peak grows by far less than the findings would cost', () => {
    writeFileSync(join(t.dir, 'n.sql'), WILDCARD.repeat(8_000));
    writeFileSync(join(t.dir, 'n4.sql'), WILDCARD.repeat(32_000));
    const args = ['lint', '--no-schema', '--max-file-size', '0', '--rule', 'no-leading-wildcard:warn', '-f', 'json'];
    const small = lintPeak([...args, 'n.sql'], t.dir);
    const big = lintPeak([...args, 'n4.sql'], t.dir);
    expect(big.code).toBe(0);
    const messages = (JSON.parse(big.stdout) as Array<{ messages: Array<{ line: number; message: string }> }>)[0]!.messages;
    // the first 1,000 findings and one line for the rest, at the first one left out
    expect(messages).toHaveLength(1001);
    expect(messages[1000]).toMatchObject({ line: 1001, message: expect.stringMatching(/^31000 more problems in this file not shown/) });
    // before streaming, each statement kept its tree: ~10 KB a statement, +240 MB for these 24,000 more
    expect(big.peakMb - small.peakMb, `peak ${small.peakMb.toFixed(0)} MB -> ${big.peakMb.toFixed(0)} MB`).toBeLessThan(60);
  }, 480_000);

  it('a statement 4x longer (over the size limit): the peak grows by a few times the text, not by its tokens', () => {
    const stmt = (mb: number) => `SELECT ${Array.from({ length: Math.ceil((mb * 1024 * 1024) / 9) }, (_, i) => `col${i % 100000}`).join(', ')} FROM t;\n${WILDCARD}`;
    writeFileSync(join(t.dir, 's1.sql'), stmt(1));
    writeFileSync(join(t.dir, 's4.sql'), stmt(4));
    const args = ['lint', '--no-schema', '--max-file-size', '0', '--rule', 'no-leading-wildcard:warn', '-f', 'json'];
    const small = lintPeak([...args, 's1.sql'], t.dir);
    const big = lintPeak([...args, 's4.sql'], t.dir);
    expect(big.code).toBe(0);
    // the statement is a warning naming the limit; the one after it is still analysed
    const messages = (JSON.parse(big.stdout) as Array<{ messages: Array<{ ruleId: string; severity: number; line: number; column: number }> }>)[0]!.messages;
    expect(messages.map((m) => `${m.ruleId}:${m.severity}@${m.line}:${m.column}`)).toEqual(['parse-error:1@1:1', 'no-leading-wildcard:1@2:39']);
    // 3 MB more text: its bytes, its string and its slices, not ~300,000 more tokens held at once
    expect(big.peakMb - small.peakMb, `peak ${small.peakMb.toFixed(0)} MB -> ${big.peakMb.toFixed(0)} MB`).toBeLessThan(60);
  }, 480_000);
});
