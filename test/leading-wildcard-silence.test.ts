/** no-leading-wildcard: the value-side check applies the SQL side's silence conditions, and messages name the real remedy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

const found = (code: string) => lintHostSource(code, 'a.ts', { rules: ALL }).diagnostics.filter((d) => d.ruleId === 'no-leading-wildcard');

describe('no-leading-wildcard value side', () => {
  it('silent for NOT LIKE, a search inside one parent, a non-column operand, a system catalog', () => {
    expect(found('db.query("SELECT id FROM users WHERE name NOT ILIKE $1", [`%${q}`]);')).toEqual([]);
    expect(found('db.query("SELECT id FROM users WHERE tenant_id = $1 AND name LIKE $2", [t, `%${q}%`]);')).toEqual([]);
    expect(found('db.query("SELECT id FROM users WHERE substring(name, 2) LIKE $1", [`%${q}%`]);')).toEqual([]);
    expect(found('db.query("SELECT relname FROM pg_class WHERE relname LIKE $1", [`%${q}%`]);')).toEqual([]);
  });

  it('reports a contains-search on a big table with a trigram index on the real column', () => {
    const d = found('db.query("SELECT id FROM users WHERE lower(name) LIKE $1", [`%${q}%`]);');
    expect(d.map((x) => x.message)).toEqual([
      'lower(name) LIKE `%${q}%`: the pattern starts with a wildcard, so a B-tree index on lower(name) cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (lower(name) gin_trgm_ops)',
    ]);
  });
});
