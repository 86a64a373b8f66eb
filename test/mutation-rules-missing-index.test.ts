import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, marked } from './helpers/rule-findings.js';

// Golden tests for rules/missing-index.ts (issue 19, mutation testing): the suggestion's range, the
// columns and statement in the message, one finding per table and query block (its leading access
// path), the indexes that serve it, sorts without a LIMIT, small and unknown tables.

beforeAll(() => ready());

const RULE = 'missing-index';
const D = 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, created_at timestamptz, total int, note text);\nCREATE TABLE customers (id bigint PRIMARY KEY, email text);\n';
const run = (sql: string, extra = '') => findings(RULE, sql, { ddl: D + extra });
const at = (sql: string, extra = '') => marked(RULE, sql, { ddl: D + extra });
const msg = (table: string, columns: string, statement: string) => `no index on ${table} can serve ${columns}; add one: ${statement}`;

describe('missing-index: the finding', () => {
  it('marks the leading predicate, with the columns and the index to add', () => {
    expect(run('SELECT id FROM orders WHERE customer_id = $1')).toEqual([`1:29-1:45 ${msg('orders', 'customer_id', 'CREATE INDEX idx_orders_customer_id ON orders (customer_id);')}`]);
    expect(run('SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2 ORDER BY created_at')).toEqual([`1:29-1:45 ${msg('orders', 'customer_id, created_at', 'CREATE INDEX idx_orders_customer_id_created_at ON orders (customer_id, created_at);')}`]);
    expect(run('SELECT id FROM orders WHERE lower(status) = $1')).toEqual([`1:29-1:47 ${msg('orders', '(lower(status))', 'CREATE INDEX idx_orders_lower_status ON orders ((lower(status)));')}`]);
    expect(run('SELECT id FROM orders ORDER BY created_at DESC LIMIT 10')).toEqual([`1:32-1:42 ${msg('orders', 'created_at DESC', 'CREATE INDEX idx_orders_created_at ON orders (created_at DESC);')}`]);
    expect(run("SELECT id FROM orders WHERE tags @> '{a}'")).toEqual([`1:29-1:42 ${msg('orders', 'tags', 'CREATE INDEX idx_orders_tags_gin ON orders USING gin (tags);')}`]);
  });

  it('nothing without a schema, for a table it lacks or says is small, nor for a contains-search (no-leading-wildcard\'s)', () => {
    expect(findings(RULE, 'SELECT id FROM orders WHERE customer_id = $1')).toEqual([]);
    expect(run('SELECT id FROM nope WHERE customer_id = $1')).toEqual([]);
    expect(findings(RULE, 'SELECT id FROM orders WHERE customer_id = $1', { ddl: D, tables: { orders: { rows: 5 } } })).toEqual([]);
    expect(run("SELECT id FROM orders WHERE note LIKE '%x%'")).toEqual([]);
    expect(at("SELECT id FROM orders WHERE note LIKE 'x%'")).toEqual(["note LIKE 'x%'"]);
    expect(findings(RULE, "SELECT id FROM orders WHERE MATCH(note) AGAINST ('x')", { dialect: 'mysql', ddl: 'CREATE TABLE orders (id int PRIMARY KEY, note text);' })).toEqual([]);
    // MySQL's contains-search gets a FULLTEXT suggestion: no-leading-wildcard's too, not this rule's
    const my = { dialect: 'mysql' as const, ddl: 'CREATE TABLE orders (id int PRIMARY KEY, note text, status text);' };
    expect(findings(RULE, "SELECT id FROM orders WHERE note LIKE '%word%'", my)).toEqual([]);
    expect(findings(RULE, "SELECT id FROM orders WHERE note LIKE '%word%' AND status = 'a'", my)).toEqual([`1:52-1:64 ${msg('orders', 'status', 'CREATE INDEX idx_orders_status ON orders (status);')}`]);
  });

  it('a sort alone only with a LIMIT; a GROUP BY alone is no sort to serve', () => {
    expect(run('SELECT id FROM orders ORDER BY created_at')).toEqual([]);
    expect(at('SELECT id FROM orders ORDER BY created_at, total LIMIT 10')).toEqual(['created_at']);
    expect(run('SELECT status, count(*) FROM orders GROUP BY status')).toEqual([]);
    // a condition the code fills in (`WHERE ${where.join(' AND ')}`, read as a bare value) decides the index, not the sort
    expect(run('SELECT id FROM orders WHERE $1 ORDER BY created_at LIMIT 10')).toEqual([]);
    expect(run('SELECT id FROM orders WHERE note IS NOT NULL AND $1 ORDER BY created_at LIMIT 10')).toEqual([]);
    expect(at('SELECT id FROM orders WHERE note IS NOT NULL ORDER BY created_at LIMIT 10')).toEqual(['created_at']);
    // the sort of the block it is in: a subquery with its own LIMIT, under a query without one
    expect(at('SELECT id, (SELECT c.id FROM customers c ORDER BY c.email LIMIT 1) FROM orders ORDER BY created_at')).toEqual(['c.email']);
    // the first sort column leads: an index on the second does not serve it
    expect(at('SELECT id FROM orders ORDER BY total, created_at LIMIT 10', 'CREATE INDEX o_t ON orders (created_at);')).toEqual(['total']);
    expect(at('SELECT id FROM orders ORDER BY created_at LIMIT 10')).toEqual(['created_at']);
  });
});

describe('missing-index: one finding per table and query block', () => {
  it('each side of a join, each subquery', () => {
    expect(at('SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1')).toEqual(['c.id = o.customer_id', 'c.email = $1']);
    expect(at('SELECT id FROM orders WHERE customer_id = $1 AND id IN (SELECT id FROM orders WHERE status = $2)')).toEqual(['status = $2']);
  });

  it('each branch of a set operation and each CTE body is a block of its own', () => {
    expect(at('SELECT 1 WHERE EXISTS (SELECT 1 FROM orders WHERE status = $1) AND EXISTS (SELECT 1 FROM orders WHERE customer_id = $2)')).toEqual(['status = $1', 'customer_id = $2']);
    expect(at('SELECT id FROM orders WHERE customer_id = $1 UNION SELECT id FROM orders WHERE status = $1')).toEqual(['customer_id = $1', 'status = $1']);
    expect(at('SELECT id FROM orders WHERE status = $1 UNION SELECT id FROM orders WHERE customer_id = $1')).toEqual(['status = $1', 'customer_id = $1']);
    expect(at('WITH x AS (SELECT id FROM orders WHERE status = $1) SELECT o.id FROM orders o, x WHERE o.customer_id = $1')).toEqual(['status = $1', 'o.customer_id = $1']);
    // the main query finds its rows by primary key; the CTE still scans orders
    expect(at('WITH x AS (SELECT id FROM orders WHERE status = $1) SELECT id FROM orders WHERE customer_id = $1 AND id IN (SELECT id FROM x)')).toEqual(['status = $1']);
  });
});

describe('missing-index: indexes that serve the leading access path', () => {
  it('the primary key or an index on an equality column (whichever is written first)', () => {
    expect(run('SELECT id FROM orders WHERE id = $1')).toEqual([]);
    for (const w of ['customer_id = $1', 'customer_id = $1 AND status = $2', 'status = $2 AND customer_id = $1']) expect(run(`SELECT id FROM orders WHERE ${w}`, 'CREATE INDEX o_c ON orders (customer_id);'), w).toEqual([]);
    expect(run("SELECT id FROM orders WHERE status = 'x' AND customer_id = $1", 'CREATE INDEX o_s ON orders (status);')).toEqual([]);
    expect(at('SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2', 'CREATE INDEX o_s ON orders (status);')).toEqual(['customer_id = $1']);
  });

  it('without equalities, the sort and the range: either index serves', () => {
    expect(run('SELECT id FROM orders WHERE created_at > $1 ORDER BY created_at', 'CREATE INDEX o_t ON orders (created_at);')).toEqual([]);
    expect(run('SELECT id FROM orders WHERE customer_id = $1 AND created_at > $2', 'CREATE INDEX o_t ON orders (created_at);')).toEqual([]);
    expect(run('SELECT id FROM orders ORDER BY created_at LIMIT 10', 'CREATE INDEX o_t ON orders (created_at);')).toEqual([]);
    expect(at('SELECT id FROM orders WHERE created_at > $1 AND total > $2', 'CREATE INDEX o_s ON orders (total);')).toEqual(['created_at > $1']);
  });

  it('hash, GIN, partial and expression indexes', () => {
    expect(run('SELECT id FROM orders WHERE customer_id = $1', 'CREATE INDEX o_c ON orders USING hash (customer_id);')).toEqual([]);
    expect(run("SELECT id FROM orders WHERE tags @> '{a}'", 'CREATE INDEX o_t ON orders USING gin (tags);')).toEqual([]);
    expect(run('SELECT id FROM orders WHERE lower(status) = $1', 'CREATE INDEX o_l ON orders (lower(status));')).toEqual([]);
    // a B-tree equality leads: a GIN index does not serve it, a B-tree one does
    expect(at("SELECT id FROM orders WHERE tags @> '{a}' AND customer_id = $1")).toEqual(['customer_id = $1']);
    expect(at("SELECT id FROM orders WHERE tags @> '{a}' AND customer_id = $1", 'CREATE INDEX o_t ON orders USING gin (tags);')).toEqual(['customer_id = $1']);
    expect(run("SELECT id FROM orders WHERE tags @> '{a}' AND customer_id = $1", 'CREATE INDEX o_c ON orders (customer_id);')).toEqual([]);
    const partial = "CREATE INDEX o_c ON orders (customer_id) WHERE status = 'open';";
    expect(at('SELECT id FROM orders WHERE customer_id = $1', partial)).toEqual(['customer_id = $1']);
    expect(run("SELECT id FROM orders WHERE customer_id = $1 AND status = 'open'", partial)).toEqual([]);
  });

  it('a GIN predicate needs a GIN index, and is residual behind a served B-tree path', () => {
    const tags = 'ALTER TABLE orders ADD COLUMN tags text[];';
    // a B-tree index on the array column does not serve @>
    expect(run("SELECT id FROM orders WHERE tags @> '{a}'", `${tags}CREATE INDEX o_tb ON orders (tags);`)).toEqual([`1:29-1:42 ${msg('orders', 'tags', 'CREATE INDEX idx_orders_tags_gin ON orders USING gin (tags);')}`]);
    // the range leads (no equality): its index serves the block, the GIN predicate filters what it finds
    for (const w of ["tags @> '{a}' AND created_at > $1", "created_at > $1 AND tags @> '{a}'"]) expect(run(`SELECT id FROM orders WHERE ${w}`, `${tags}CREATE INDEX o_t ON orders (created_at);`), w).toEqual([]);
    // a partial index whose condition the query repeats serves the equalities; the GIN predicate is residual
    expect(run("SELECT id FROM orders WHERE customer_id = $1 AND status = 'open' AND created_at > $2 AND tags @> '{a}'", `${tags}CREATE INDEX o_c ON orders (customer_id) WHERE status = 'open';`)).toEqual([]);
  });

  it('an expression equality leads over a GIN predicate, whichever is written first', () => {
    const expr = msg('orders', '(lower(status))', 'CREATE INDEX idx_orders_lower_status ON orders ((lower(status)));');
    expect(run("SELECT id FROM orders WHERE tags @> '{a}' AND lower(status) = $1")).toEqual([`1:47-1:65 ${expr}`]);
    expect(run("SELECT id FROM orders WHERE lower(status) = $1 AND tags @> '{a}'")).toEqual([`1:29-1:47 ${expr}`]);
  });
});
