import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { checkIndexSql } from '../src/index-ddl.js';
import { candidatesFor } from '../src/verify/candidates.js';
import { unitsFromAnalysis } from '../src/verify/units.js';

beforeAll(() => ready());

/** The candidate statements `--verify` tries on `table` for the first statement of `sql`, each checked to parse as one CREATE INDEX. */
function candidates(sql: string, table: string, withSuggestion = true): string[] {
  const [u] = unitsFromAnalysis('q.sql', analyze(sql, { dialect: 'postgresql' }));
  const sug = withSuggestion ? (u!.indexes.find((i) => i.table === table) ?? null) : null;
  const out = candidatesFor(u!, table, sug).map((c) => `${c.statement} | ${c.why}`);
  for (const line of out) expect(checkIndexSql(line.split(' | ')[0]!, 'postgresql')).toBeNull();
  return out;
}

describe('--verify candidates: rendered from the query model with the suggestions\' own quoting and naming', () => {
  it('a GIN index for containment, on the bare column whatever its qualifier', () => {
    expect(candidates('SELECT id FROM events e WHERE e.payload @> $1', 'events', false)).toEqual([
      'CREATE INDEX idx_events_payload_gin ON events USING gin (payload); | @> needs a GIN index (a B-tree cannot serve it)',
    ]);
  });

  it('an expression index for a wrapped column, without the qualifier and without the source\'s spacing or comments', () => {
    expect(candidates('SELECT id FROM users u WHERE LOWER( u.email /* c */ ) = $1', 'users', false)).toEqual([
      'CREATE INDEX idx_users_lower_email ON users ((lower(email))); | the query compares lower(email), so the index must be on that expression',
    ]);
  });

  it('an expression that cannot be an index key (a volatile function) gives no candidate', () => {
    expect(candidates('SELECT id FROM t WHERE random_fn(a) = $1', 't', false)).toEqual([]);
  });

  it('quotes reserved and mixed-case names as the suggestions do', () => {
    expect(candidates('SELECT id FROM "Order" o WHERE o."user" @> $1', 'Order', false)).toEqual([
      'CREATE INDEX idx_order_user_gin ON "Order" USING gin ("user"); | @> needs a GIN index (a B-tree cannot serve it)',
    ]);
  });

  it('a partial index whose WHERE repeats the constant conditions, keyed by the suggestion\'s other columns', () => {
    expect(candidates("SELECT id FROM orders WHERE status = 'open' AND deleted_at IS NULL AND customer_id = $1 ORDER BY created_at", 'orders')).toEqual([
      "CREATE INDEX idx_orders_customer_id_created_at_partial ON orders (customer_id, created_at) WHERE status = 'open' AND deleted_at IS NULL; | a partial index whose WHERE (status = 'open' AND deleted_at IS NULL) the query repeats",
    ]);
  });

  it('no partial index without a suggestion, or when the constants are all the suggestion has', () => {
    expect(candidates("SELECT id FROM orders WHERE status = 'open' AND customer_id = $1", 'orders', false)).toEqual([]);
    expect(candidates("SELECT id FROM orders WHERE status = 'open'", 'orders')).toEqual([]);
  });

  it('conditions under OR or NOT, and other tables\' conditions, are not candidates', () => {
    expect(candidates('SELECT o.id FROM orders o JOIN docs d ON d.id = o.doc_id WHERE d.body @> $1 OR o.tags @> $2', 'orders', false)).toEqual([]);
    expect(candidates('SELECT o.id FROM orders o JOIN docs d ON d.id = o.doc_id WHERE d.body @> $1', 'orders', false)).toEqual([]);
  });
});
