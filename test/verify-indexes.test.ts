import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { unitsFromAnalysis, verify, type VerifyReport } from '../src/verify/index.js';
import { loadSchema } from '../src/schema/load.js';

/** What `indexes --verify` proves (issue 15, item 7): one PGlite for every case here. */
const ddl = [
  'CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, user_id int);',
  'CREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);',
  'CREATE TABLE products (id int PRIMARY KEY, name text NOT NULL);',
  'CREATE TABLE notes (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL);',
  '',
].join('\n');
const queries = [
  "UPDATE orders SET status = 'archived' WHERE created_at < $1;",
  "SELECT id FROM orders WHERE status = 'open' AND created_at < $1;",
  "SELECT id FROM products WHERE name ILIKE '%' || $1 || '%';",
  "SELECT id FROM notes WHERE title LIKE 'ann%';",
  "SELECT id FROM notes WHERE body LIKE '%urgent%';",
  '',
].join('\n');
let report: VerifyReport;

beforeAll(async () => {
  await ready();
  const schema = loadSchema([{ path: 'schema.sql', text: ddl }], 'postgresql');
  report = await verify(unitsFromAnalysis('q.sql', analyze(queries, { schema })), { schemaFiles: [{ path: 'schema.sql', text: ddl }] });
}, 180_000);

describe('indexes --verify: an index serves a query only through its leading key', () => {
  it('a skip scan over an unconstrained leading column is reported as what it is, and the missing index is kept', () => {
    expect(report.outcomes[0]!.tables).toEqual([{ table: 'orders', served: false, indexes: ['orders_status_created_at_idx'], filters: [] }]);
    const ix = report.indexes.find((i) => i.queries.some((q) => q.sql.startsWith('UPDATE')))!;
    expect(ix.statement).toBe('CREATE INDEX idx_orders_created_at ON orders (created_at);');
    expect(ix.status).toBe('confirmed');
    expect(ix.reason).toBe('the planner uses it (the existing orders_status_created_at_idx is usable only through a skip scan over status: efficient only when status has few distinct values)');
  });

  it('a lookup on the leading column is served by the existing index', () => {
    expect(report.outcomes[1]!.tables).toEqual([{ table: 'orders', served: true, indexes: ['orders_status_created_at_idx'], filters: [] }]);
  });

  it("confirms the trigram index for col ILIKE '%' || $1 || '%' with PGlite's pg_trgm", () => {
    const trgm = report.indexes.find((i) => i.table === 'products')!;
    expect(trgm).toMatchObject({ status: 'confirmed', statement: 'CREATE INDEX idx_products_name_trgm ON products USING gin (name gin_trgm_ops);' });
  });

  it('notes the collation caveat on the B-tree that serves a LIKE prefix, not on a trigram index or a plain range', () => {
    const byStatement = (sql: string) => report.indexes.find((i) => i.statement === sql)!;
    expect(byStatement('CREATE INDEX idx_notes_title ON notes (title);')).toMatchObject({ status: 'confirmed', note: expect.stringMatching(/C collation.*text_pattern_ops/) });
    expect(byStatement('CREATE INDEX idx_notes_body_trgm ON notes USING gin (body gin_trgm_ops);')).toMatchObject({ status: 'confirmed' });
    expect(byStatement('CREATE INDEX idx_notes_body_trgm ON notes USING gin (body gin_trgm_ops);').note).toBeUndefined();
    expect(byStatement('CREATE INDEX idx_orders_created_at ON orders (created_at);').note).toBeUndefined();
  });
});
