import { beforeAll, describe, expect, it } from 'vitest';
import { ready, rules } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const only = Object.fromEntries([...rules.map((r) => [r.name, 'off']), ['unknown-table', 'error']]);
const schema = () => loadSchema([{ path: 's.sql', text: 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);' }], 'postgresql');
const found = (code: string) => lintHostSource(code, 'q.ts', { rules: only as never, schema: schema() }).diagnostics.filter((d) => d.ruleId === 'unknown-table').map((d) => d.message);

describe('unknown-table and template holes', () => {
  it('a WITH list in another hole may define the name', () => {
    expect(found('const q = sql`WITH ${ctes} SELECT id FROM recent_orders`;')).toEqual([]);
    expect(found('const q = sql`WITH totals AS (SELECT 1 AS n), ${more} SELECT n FROM totals, recent_orders`;')).toEqual([]);
  });

  it('a name built from a hole is not checked', () => {
    expect(found('const q = sql`SELECT id FROM ${prefix}_events WHERE id = ${id}`;')).toEqual([]);
  });

  it('a misspelt table next to a hole is still reported', () => {
    expect(found('const q = sql`SELECT id FROM orderz WHERE id = ${id}`;')).toEqual(['table orderz is not in the schema; did you mean orders?']);
  });
});
