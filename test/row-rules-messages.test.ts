import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema, type Schema } from '../src/schema/index.js';

beforeAll(() => ready());

/** Messages of one rule on a text (every other rule off). */
function messages(rule: string, sql: string, options?: object, dialect: Dialect = 'postgresql', schema?: Schema): string[] {
  const config = Object.fromEntries([...rules.map((r) => [r.name, 'off']), [rule, options ? ['warn', options] : 'warn']]);
  return analyze(sql, { dialect, rules: config as never, ...(schema ? { schema } : {}) }).diagnostics.filter((d) => d.ruleId === rule).map((d) => d.message);
}

describe('no-offset-pagination builds the keyset rewrite from the query', () => {
  it.each([
    ['SELECT id FROM posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $1', 'WHERE (created_at, id) < ($last_created_at, $last_id) ORDER BY created_at DESC, id DESC LIMIT 20'],
    ['SELECT p.id FROM posts p ORDER BY p.published_at LIMIT 50 OFFSET $1', 'WHERE (p.published_at, p.id) > ($last_published_at, $last_id) ORDER BY p.published_at, p.id LIMIT 50'],
    ['SELECT id FROM posts ORDER BY id LIMIT $2 OFFSET $1', 'WHERE id > $last_id ORDER BY id LIMIT n'],
    ['SELECT id FROM posts ORDER BY score DESC, id LIMIT 10 OFFSET $1', 'WHERE score < $last_score OR (score = $last_score AND id > $last_id) ORDER BY score DESC, id LIMIT 10'],
    ['SELECT id FROM posts LIMIT 10 OFFSET $1', 'order by a unique key and ask for the rows after the last one shown: WHERE id > $last_id ORDER BY id LIMIT 10'],
    ['SELECT id FROM posts ORDER BY lower(title) LIMIT 10 OFFSET $1', 'remember the sort key of the last row shown'],
  ])('%s', (sql, rewrite) => {
    const [m] = messages('no-offset-pagination', sql);
    expect(m).toContain(rewrite);
  });

  it('does not add id when the schema says the sort key is unique or the table has no id', () => {
    const schema = loadSchema([{ path: 's.sql', text: 'CREATE TABLE posts (slug text PRIMARY KEY, title text); CREATE TABLE events (seq bigint, at timestamptz);' }], 'postgresql');
    expect(messages('no-offset-pagination', 'SELECT slug FROM posts ORDER BY slug LIMIT 10 OFFSET $1', undefined, 'postgresql', schema)[0]).toContain('WHERE slug > $last_slug ORDER BY slug LIMIT 10');
    expect(messages('no-offset-pagination', 'SELECT seq FROM events ORDER BY at DESC LIMIT 10 OFFSET $1', undefined, 'postgresql', schema)[0]).toContain('WHERE at < $last_at ORDER BY at DESC LIMIT 10');
  });
});

describe('plurals and names in messages', () => {
  it('max-joins says "1 join"', () => {
    expect(messages('max-joins', 'SELECT a.id FROM a JOIN b ON b.id = a.id', { max: 0 })[0]).toMatch(/^1 join in one query \(more than 0\)/);
    expect(messages('max-joins', 'SELECT a.id FROM a JOIN b ON b.id = a.id JOIN c ON c.id = a.id', { max: 1 })[0]).toMatch(/^2 joins in one query/);
  });

  it('no-or-across-columns names the table and the branches', () => {
    expect(messages('no-or-across-columns', 'SELECT id FROM users WHERE email = $1 OR phone = $2')[0]).toBe(
      "OR across email, phone: no single index serves both branches, so the planner often scans users; index each branch's columns (PostgreSQL can combine the indexes with a BitmapOr) or split the query into a UNION of one indexed query per branch",
    );
    expect(messages('no-or-across-columns', 'SELECT id FROM users WHERE a = 1 OR b = 2 OR c = 3')[0]).toContain('serves all 3 branches');
  });

  it('no-or-across-columns does not name a fragment wrapper table', () => {
    expect(messages('no-or-across-columns', 'SELECT 1 FROM __sqlperf_t WHERE a = 1 OR b = 2')[0]).toContain('scans the table;');
  });

  it('no-cartesian-join does not name a fragment wrapper table', () => {
    expect(messages('no-cartesian-join', 'SELECT 1 FROM __sqlperf_t, orders o WHERE o.total > 1')).toEqual([]);
  });
});
