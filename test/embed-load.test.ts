/**
 * What loads at run time (issue 17): `sqlperf lint` on a JS/TS file reads it with oxc-parser and
 * never loads TypeScript or typescript-estree (~370 ms); the ESLint plugin imports
 * `@typescript-eslint/utils` for its types only (100–150 ms when loaded). A module-resolution hook
 * in a child process lists the packages each one resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt, root } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlperf-load-'));
const hook = join(dir, 'hook.mjs');
// ESM imports go through the resolve hook; CommonJS requires (createRequire) through Module._resolveFilename
writeFileSync(
  hook,
  `import { register, createRequire } from 'node:module';
const Module = createRequire(import.meta.url)('node:module');
const seen = (p) => { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(p); if (m) process.stderr.write('PKG ' + m[1] + '\\n'); };
const original = Module._resolveFilename;
Module._resolveFilename = function (...args) { const r = original.apply(this, args); seen(r); return r; };
register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, n) { const r = await n(s, c); const m = /node_modules\\\\/((?:@[^/]+\\\\/)?[^/]+)/.exec(r.url); if (m) process.stderr.write("PKG " + m[1] + "\\\\n"); return r; }'));
`,
);

function packagesLoaded(args: string[]): { packages: Set<string>; status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', hook, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { packages: new Set([...r.stderr.matchAll(/^PKG (\S+)$/gm)].map((m) => m[1]!)), status: r.status, stdout: r.stdout };
}

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run-time loading', () => {
  it('lint on a .ts file loads oxc-parser, not TypeScript or typescript-estree', () => {
    writeFileSync(join(dir, 'tiny.ts'), 'export const q = sql`SELECT * FROM orders WHERE user_id = ${x}`;\n');
    const r = packagesLoaded([bin, 'lint', '--no-schema', '--rule', 'no-select-star:warn', 'tiny.ts']);
    // the finding proves the file was parsed and analysed
    expect(r.stdout).toContain('no-select-star');
    expect(r.packages.has('oxc-parser')).toBe(true);
    expect([...r.packages].filter((p) => p === 'typescript' || p.startsWith('@typescript-eslint/'))).toEqual([]);
  });

  it('the ESLint plugin does not load @typescript-eslint/utils', () => {
    const load = join(dir, 'load-plugin.mjs');
    writeFileSync(load, `const { default: plugin } = await import(${JSON.stringify(join(root, 'dist', 'eslint-plugin', 'index.js'))});\nconsole.log(Object.keys(plugin.rules).length);\n`);
    const r = packagesLoaded([load]);
    expect(Number(r.stdout.trim())).toBeGreaterThan(10);
    expect(r.packages.has('@typescript-eslint/utils')).toBe(false);
    expect(r.packages.has('typescript')).toBe(false);
  });
});
