import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';

beforeAll(() => ready());

const cost = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements[0]!.cost!;
const indexes = (sql: string, dialect: Dialect = 'postgresql') => analyze(sql, { dialect }).statements.flatMap((s) => s.indexes.map((i) => i.statement));

describe('cost', () => {
  it('explains each factor with a weight and a range', () => {
    const sql = "SELECT * FROM users WHERE email LIKE '%x' ORDER BY name";
    const c = cost(sql);
    expect(c.factors.map((f) => [f.id, f.weight, sql.slice(f.range.start, f.range.end)])).toEqual([
      ['base', 1, sql],
      ['selectStar', 3, '*'],
      ['sortWithoutLimit', 4, 'name'],
      ['nonSargable', 8, "'%x'"],
    ]);
    expect(c.score).toBe(16);
    expect(c.level).toBe('medium');
  });
  it('is monotonic: a join, a subquery or SELECT * never lowers the score', () => {
    const base = 'SELECT u.id FROM users u WHERE u.id = $1';
    const steps = [
      base,
      'SELECT u.id, * FROM users u WHERE u.id = $1',
      'SELECT u.id, * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1',
      'SELECT u.id, *, (SELECT 1 FROM x) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1',
      'SELECT u.id, *, (SELECT 1 FROM x), (SELECT 1 FROM y WHERE y.u = u.id) FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1',
    ];
    const scores = steps.map((s) => cost(s).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]!);
  });
  it('weighs a correlated subquery more than an uncorrelated one, and a cartesian join most', () => {
    const un = cost('SELECT id FROM a WHERE a.x IN (SELECT y FROM b WHERE b.k = 1)').score;
    const co = cost('SELECT id FROM a WHERE a.x IN (SELECT y FROM b WHERE b.k = a.k)').score;
    expect(co).toBeGreaterThan(un);
    const cart = cost('SELECT a.id FROM a, b WHERE a.k = 1').factors.find((f) => f.id === 'cartesianJoin');
    const joined = cost('SELECT a.id FROM a, b WHERE a.k = b.k').factors.find((f) => f.id === 'cartesianJoin');
    expect(cart?.weight).toBeGreaterThan(20);
    expect(joined).toBeUndefined();
  });
  it('is deterministic and the same across dialects for the same SQL', () => {
    const sql = 'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.status = 1 ORDER BY o.created_at';
    expect(cost(sql, 'mysql')).toEqual(cost(sql, 'sqlite'));
    expect(cost(sql, 'mysql').score).toBe(cost(sql, 'postgresql').score);
  });
});

describe('index suggestions', () => {
  it('orders equality columns, then sort, then one range column, on the real table', () => {
    expect(indexes('SELECT id FROM orders o WHERE o.status = $1 AND o.created_at > $2 AND o.customer_id = 3 ORDER BY o.created_at DESC')).toEqual([
      'CREATE INDEX idx_orders_status_customer_id_created_at ON orders (status, customer_id, created_at DESC);',
    ]);
    expect(indexes('SELECT id FROM orders WHERE total > 10 AND created_at < $1')).toEqual(['CREATE INDEX idx_orders_total ON orders (total);']);
  });
  it('suggests join columns on the table being joined', () => {
    expect(indexes('SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id WHERE u.email = $1')).toEqual([
      'CREATE INDEX idx_orders_user_id ON orders (user_id);',
      'CREATE INDEX idx_users_email ON users (email);',
    ]);
  });
  it('never suggests for predicates an index cannot serve, aliases, literals or placeholders', () => {
    expect(indexes("SELECT id FROM users WHERE email LIKE '%x' AND status <> 'a' AND (a = 1 OR b = 2)", 'mysql')).toEqual([]);
    // in PostgreSQL the leading wildcard gets a trigram index instead of a B-tree
    expect(indexes("SELECT id FROM users WHERE email LIKE '%x' AND status <> 'a' AND (a = 1 OR b = 2)")).toEqual(['CREATE INDEX idx_users_email_trgm ON users USING gin (email gin_trgm_ops);']);
    expect(indexes('SELECT 1 FROM users WHERE $1 = $2')).toEqual([]);
  });
  it('suggests an expression index for a function on a column', () => {
    expect(indexes('SELECT id FROM users u WHERE lower(u.email) = $1')).toEqual(['CREATE INDEX idx_users_lower_email ON users ((lower(email)));']);
    expect(indexes('SELECT id FROM users u WHERE lower(u.email) = ?', 'transactsql')).toEqual([]);
  });
  it('suggests GIN for containment, key-exists, overlap and full-text operators (PostgreSQL), and an existing GIN index serves them', async () => {
    const sql = "SELECT id FROM events e WHERE e.payload @> $1::jsonb; SELECT id FROM docs WHERE to_tsvector('english', body) @@ plainto_tsquery($1); SELECT id FROM posts WHERE tags && $1";
    expect(indexes(sql)).toEqual([
      'CREATE INDEX idx_events_payload_gin ON events USING gin (payload);',
      "CREATE INDEX idx_docs_to_tsvector_english_body_gin ON docs USING gin ((to_tsvector('english', body)));",
      'CREATE INDEX idx_posts_tags_gin ON posts USING gin (tags);',
    ]);
    expect(indexes('SELECT id FROM events WHERE payload @> ?', 'mysql')).toEqual([]);
    const { loadSchema } = await import('../src/schema/index.js');
    const schema = loadSchema([{ path: 'm.sql', text: 'CREATE TABLE events (id int PRIMARY KEY, payload jsonb); CREATE INDEX events_payload ON events USING gin (payload); CREATE TABLE posts (id int PRIMARY KEY, tags text[]); CREATE INDEX posts_tags ON posts (tags);' }], 'postgresql');
    const withSchema = analyze('SELECT id FROM events WHERE payload @> $1; SELECT id FROM posts WHERE tags && $1', { schema }).statements.flatMap((s) => s.indexes.map((i) => i.statement));
    // the GIN index serves the first; a B-tree on tags cannot serve &&
    expect(withSchema).toEqual(['CREATE INDEX idx_posts_tags_gin ON posts USING gin (tags);']);
  });
  it('merges a prefix into the longer suggestion on the same table', () => {
    expect(indexes('SELECT id FROM t WHERE a = 1 AND b = 2 AND EXISTS (SELECT 1 FROM t t2 WHERE t2.a = 5)')).toEqual(['CREATE INDEX idx_t_a_b ON t (a, b);']);
  });
});
