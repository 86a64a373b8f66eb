import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

const file = join(import.meta.dirname, '..', 'fixtures', 'embed', 'shapes', 'knex-subqueries.ts');

describe('knex.raw expressions led by a subquery', () => {
  it('are analysed as a sort list and a select-list item, with findings at their host positions', () => {
    const code = readFileSync(file, 'utf8');
    const r = lintHostSource(code, file, { rules: ALL });
    expect(r.stats).toMatchObject({ sites: 2, analysed: 2, failed: 0 });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual(['no-leading-wildcard 14:74-14:79']);
  });
  it('one that reads as no clause is not a site, and never a parse error', () => {
    const r = lintHostSource("knex.raw('(SELECT 1) ??? nonsense ::: (', []);\n", 'x.ts', { rules: ALL });
    expect(r.diagnostics).toEqual([]);
  });
});
