// The bundled CLI (dist/sqlperf.cjs, run by the package's bin dist/sqlperf.js with V8's code cache;
// built by scripts/build-bundle.ts): the same results as the CLI tsc builds, its lint workers
// started from the bundle itself, the packages it leaves outside (libpg-query, oxc-parser,
// node-sql-parser) loaded from node_modules, and a code cache that is made, used, and replaced
// when it is damaged.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, ensureBundled, root, sqlperf, type Run } from './cli-helpers.js';

let tree: string;
let codeCache: string;

beforeAll(() => {
  ensureBundled();
  tree = mkdtempSync(join(tmpdir(), 'sqlperf-bundle-'));
  codeCache = join(tree, 'user-cache');
  writeFileSync(join(tree, 'a.sql'), 'SELECT id FROM users ORDER BY random();\n');
  writeFileSync(join(tree, 'b.ts'), "import { sql } from './db';\nexport const q = () => sql`SELECT * FROM users WHERE lower(email) = ${'x'}`;\n");
  writeFileSync(join(tree, 'c.sql'), 'SELECT `id` FROM orders ORDER BY RAND();\n');
}, 300_000);

afterAll(() => rmSync(tree, { recursive: true, force: true }));

/** file, rule, line:column of each message of a JSON report. */
/** The bundled CLI, with its code cache in the test's folder. */
const run = (args: string[], cwd = tree) => sqlperf(args, { cwd, bin: bundle, env: { SQLPERF_CACHE_DIR: codeCache } });

function findings(r: Run): string[] {
  const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number }> }>;
  return results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(tree.length + 1)} ${m.ruleId} ${m.line}:${m.column}`));
}

describe('the bundled CLI', () => {
  it('lints .sql (libpg-query) and TS (oxc-parser) as the unbundled CLI does', () => {
    const args = ['lint', '-f', 'json', 'a.sql', 'b.ts'];
    const bundled = run(args);
    expect(bundled.code).toBe(0);
    expect(findings(bundled)).toEqual(['a.sql no-order-by-random 1:31', 'b.ts no-function-on-column 2:54']);
    expect(bundled.stdout).toBe(sqlperf(args, { cwd: tree }).stdout);
  });

  it('loads node-sql-parser for another dialect', () => {
    const r = run(['lint', '-f', 'json', '--dialect', 'mysql', 'c.sql']);
    expect(r.code).toBe(0);
    expect(findings(r)).toEqual(['c.sql no-order-by-random 1:34']);
  });

  it('starts its lint workers from the bundle (--concurrency 2) with the same results as in one thread', () => {
    const threads = run(['lint', '-f', 'json', '--concurrency', '2', 'a.sql', 'b.ts']);
    expect(threads.stderr).toBe('');
    expect(threads.code).toBe(0);
    expect(findings(threads)).toEqual(['a.sql no-order-by-random 1:31', 'b.ts no-function-on-column 2:54']);
  });

  it("reads the package's own package.json for --version", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'], root).stdout.trim()).toBe(pkg.version);
  });

  it('says a usage error and exits 2, as the unbundled CLI does', () => {
    const r = run(['lint', '--max-warnings', 'many', 'a.sql']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sqlperf: --max-warnings expects a whole number, got "many"\n');
  });

  it('keeps one code cache file, uses it, and replaces one that V8 refuses', () => {
    const args = ['lint', '-f', 'json', 'a.sql', 'b.ts'];
    const expected = ['a.sql no-order-by-random 1:31', 'b.ts no-function-on-column 2:54'];
    rmSync(codeCache, { recursive: true, force: true });
    expect(findings(run(args))).toEqual(expected);
    const files = readdirSync(codeCache);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^code-cache-[0-9a-f]{16}\.bin$/);
    const file = join(codeCache, files[0]!);
    const made = readFileSync(file);
    // the first line says what the cache is for (Node's version, the bundle's size and time)
    expect(made.toString('utf8', 0, made.indexOf(10))).toContain(process.version);
    // a run from the cache gives the same results and leaves the cache as it was
    expect(findings(run(args))).toEqual(expected);
    expect(readFileSync(file).equals(made)).toBe(true);
    // V8's data damaged behind a valid first line: refused by V8, the run compiles, the cache is written again
    writeFileSync(file, Buffer.concat([made.subarray(0, made.indexOf(10) + 1), Buffer.from('not V8 code cache data')]));
    const damaged = run(args);
    expect(damaged.code).toBe(0);
    expect(findings(damaged)).toEqual(expected);
    expect(readFileSync(file).length).toBeGreaterThan(1000);
    // a cache for another Node or another build of the bundle (first line) is not handed to V8
    writeFileSync(file, 'v0.0.0 another build\ngarbage');
    expect(findings(run(args))).toEqual(expected);
    expect(readFileSync(file).toString('utf8', 0, 40)).toContain(process.version);
    expect(readdirSync(codeCache)).toEqual(files);
  });
});
