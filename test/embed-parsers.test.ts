/**
 * The CLI reads JS/TS with oxc-parser, the ESLint plugin gets ESLint's tree (typescript-eslint or
 * espree): the embed layer must find the same sites, with the same host ranges, in both. Positions
 * are UTF-16 offsets in both (checked after non-ASCII text), `${}` holes included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@typescript-eslint/typescript-estree';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findSqlSites, lintHostSource, type AstProgram, type SqlSite } from '../src/embed/index.js';
import { parseHost } from '../src/embed/parse-host.js';
import { ALL } from './helpers/all-rules.js';

const root = join(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.(?:[cm]?[jt]sx?)$/.test(e.name) ? [join(dir, e.name)] : []));
}

const fixtures = [...filesUnder(join(root, 'fixtures', 'embed')), ...filesUnder(join(root, 'fixtures', 'demo'))].sort();

function oxcProgram(code: string, file: string): AstProgram {
  const r = parseHost(code, file);
  if (!r.ok) throw new Error(`${file}: ${r.message}`);
  return r.program;
}

function estreeProgram(code: string, file: string): AstProgram {
  return parse(code, { range: true, comment: true, jsx: !/\.[cm]?ts$/.test(file) });
}

/** What a site is, without its AST links. */
const shape = (s: SqlSite) => ({ kind: s.kind, range: s.range, parts: s.parts, holes: s.holes, certain: s.certain, parameterized: s.parameterized, via: s.via, wrap: s.wrap, clickhouse: s.clickhouse });

const lint = (code: string, file: string) => lintHostSource(code, file, { rules: ALL }).diagnostics.map((d) => `${d.ruleId} [${code.slice(d.start, d.end)}] ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`);

beforeAll(() => ready());

describe('oxc-parser and typescript-estree trees give the same SQL sites', () => {
  it('covers the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(8);
  });

  it.each(fixtures.map((f) => [f.slice(root.length + 1), f]))('%s', (_name, file) => {
    const code = readFileSync(file, 'utf8');
    const viaOxc = findSqlSites(oxcProgram(code, file), code).map(shape);
    const viaEstree = findSqlSites(estreeProgram(code, file), code).map(shape);
    expect(viaOxc).toEqual(viaEstree);
  });

  it('holes, comments and non-ASCII text before a site: identical ranges (UTF-16)', () => {
    const code = 'const é = "€🎉";\n/* sql */ const q = `SELECT * FROM t WHERE a = ${x} AND b = ${y.z}`;\ndb.query(sql`SELECT id FROM ${t} WHERE 🎉 = 1`);\n';
    const oxc = findSqlSites(oxcProgram(code, 'a.ts'), code).map(shape);
    expect(oxc).toEqual(findSqlSites(estreeProgram(code, 'a.ts'), code).map(shape));
    expect(oxc.map((s) => code.slice(s.range[0], s.range[1]))).toEqual(['`SELECT * FROM t WHERE a = ${x} AND b = ${y.z}`', '`SELECT id FROM ${t} WHERE 🎉 = 1`']);
    expect(oxc[0]!.holes.map((h) => code.slice(h.start, h.end))).toEqual(['${x}', '${y.z}']);
  });
});

describe('the CLI path (oxc) reports at exact host positions', () => {
  it('after 2-, 3- and 4-byte characters on the same line and the lines before', () => {
    const code = '// é € 🎉\nconst a = "🎉"; db.query(`SELECT * FROM users WHERE name LIKE \'%é\'`);\n';
    expect(lint(code, 'x.ts')).toEqual(['no-select-star [*] 2:34-2:35', "no-leading-wildcard ['%é'] 2:63-2:67"]);
  });

  it('a finding on a `${}` hole covers the whole hole', () => {
    const code = 'const q = sql`SELECT id FROM t WHERE name LIKE ${"%" + term}`;\n';
    expect(lint(code, 'x.ts')).toEqual(['no-leading-wildcard [${"%" + term}] 1:48-1:61']);
  });

  it('TSX, JSX, .mts and .cts files', () => {
    expect(lint('const el = <div>{sql`SELECT * FROM t`}</div>;', 'x.tsx')).toEqual(['no-select-star [*] 1:29-1:30']);
    expect(lint('const el = <div>{sql`SELECT * FROM t`}</div>;', 'x.jsx')).toEqual(['no-select-star [*] 1:29-1:30']);
    expect(lint('const el = <div>{sql`SELECT * FROM t`}</div>;', 'x.js')).toEqual(['no-select-star [*] 1:29-1:30']);
    // `<T>x` is a cast in .ts/.mts/.cts, not JSX
    for (const file of ['x.ts', 'x.mts', 'x.cts']) expect(lint('const n = <number>x; export const q = sql`SELECT * FROM t`;', file)).toEqual(['no-select-star [*] 1:50-1:51']);
  });

  it('a file that is not JS/TS is one warning at the syntax error', () => {
    const r = lintHostSource('const ok = 1;\nconst = sql`SELECT`;', 'bad.ts');
    expect(r.diagnostics.map((d) => [d.ruleId, d.messageId, d.line, d.column])).toEqual([['parse-error', 'host', 2, 7]]);
  });
});
