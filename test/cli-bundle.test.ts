// The bundled CLI (dist/sqlperf.js, the package's bin, built by scripts/build-bundle.ts): the same
// results as the CLI tsc builds, its lint workers started from the bundle itself, and the packages
// it leaves outside (libpg-query, oxc-parser, node-sql-parser) loaded from node_modules.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, ensureBundled, root, sqlperf, type Run } from './cli-helpers.js';

let tree: string;

beforeAll(() => {
  ensureBundled();
  tree = mkdtempSync(join(tmpdir(), 'sqlperf-bundle-'));
  writeFileSync(join(tree, 'a.sql'), 'SELECT id FROM users ORDER BY random();\n');
  writeFileSync(join(tree, 'b.ts'), "import { sql } from './db';\nexport const q = () => sql`SELECT * FROM users WHERE lower(email) = ${'x'}`;\n");
  writeFileSync(join(tree, 'c.sql'), 'SELECT `id` FROM orders ORDER BY RAND();\n');
}, 300_000);

afterAll(() => rmSync(tree, { recursive: true, force: true }));

/** file, rule, line:column of each message of a JSON report. */
function findings(r: Run): string[] {
  const results = JSON.parse(r.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number; column: number }> }>;
  return results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(tree.length + 1)} ${m.ruleId} ${m.line}:${m.column}`));
}

describe('the bundled CLI', () => {
  it('lints .sql (libpg-query) and TS (oxc-parser) as the unbundled CLI does', () => {
    const args = ['lint', '-f', 'json', 'a.sql', 'b.ts'];
    const bundled = sqlperf(args, { cwd: tree, bin: bundle });
    expect(bundled.code).toBe(0);
    expect(findings(bundled)).toEqual(['a.sql no-order-by-random 1:31', 'b.ts no-function-on-column 2:54']);
    expect(bundled.stdout).toBe(sqlperf(args, { cwd: tree }).stdout);
  });

  it('loads node-sql-parser for another dialect', () => {
    const r = sqlperf(['lint', '-f', 'json', '--dialect', 'mysql', 'c.sql'], { cwd: tree, bin: bundle });
    expect(r.code).toBe(0);
    expect(findings(r)).toEqual(['c.sql no-order-by-random 1:34']);
  });

  it('starts its lint workers from the bundle (--concurrency 2) with the same results as in one thread', () => {
    const threads = sqlperf(['lint', '-f', 'json', '--concurrency', '2', 'a.sql', 'b.ts'], { cwd: tree, bin: bundle });
    expect(threads.stderr).toBe('');
    expect(threads.code).toBe(0);
    expect(findings(threads)).toEqual(['a.sql no-order-by-random 1:31', 'b.ts no-function-on-column 2:54']);
  });

  it("reads the package's own package.json for --version", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(sqlperf(['--version'], { bin: bundle }).stdout.trim()).toBe(pkg.version);
  });

  it('says a usage error and exits 2, as the unbundled CLI does', () => {
    const r = sqlperf(['lint', '--max-warnings', 'many', 'a.sql'], { cwd: tree, bin: bundle });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sqlperf: --max-warnings expects a whole number, got "many"\n');
  });
});
