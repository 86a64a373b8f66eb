import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { predicatesOf } from '../src/model/predicates.js';
import type { QueryBlock, StatementModel } from '../src/model/types.js';
import { blockColumns } from '../src/model/walk.js';

beforeAll(() => ready());

function model(sql: string, dialect: Dialect = 'postgresql'): StatementModel {
  const res = analyze(sql, { dialect, modelOnly: true });
  expect(res.diagnostics.filter((d) => d.ruleId === 'parse-error').map((d) => d.message)).toEqual([]);
  expect(res.statements).toHaveLength(1);
  return res.statements[0]!.model!;
}

const tables = (m: StatementModel) => [...new Set(m.blocks.flatMap((b) => [...(b.target ? [b.target] : []), ...b.from]).filter((t) => t.kind === 'table').map((t) => t.name))].sort();
const cols = (b: QueryBlock, clause: string) => blockColumns(b).filter((c) => c.clause === clause).map((c) => `${c.column.table ?? '?'}.${c.column.name}`);
const preds = (b: QueryBlock) => predicatesOf(b).map((p) => `${p.column?.table ?? '?'}.${p.column?.name} ${p.op} ${p.valueKind}${p.sargable ? '' : ' !sarg'}`);

/** Everyday PostgreSQL application statements: each must parse and give the right tables, columns and predicates. */
describe('everyday PostgreSQL statements', () => {
  it('locking clause and array cast with ANY', () => {
    const m = model('SELECT id, payload FROM jobs WHERE queue = $1 AND id = ANY($2::uuid[]) ORDER BY run_at LIMIT 10 FOR UPDATE SKIP LOCKED');
    expect(tables(m)).toEqual(['jobs']);
    const b = m.root!;
    expect(b.locking).toBe('FOR UPDATE');
    expect(preds(b)).toEqual(['jobs.queue = param', 'jobs.id = ANY param']);
    expect(cols(b, 'orderBy')).toEqual(['jobs.run_at']);
  });
  it('JSON operators', () => {
    const m = model("SELECT id FROM events e WHERE e.data @> $1::jsonb AND e.data->>'kind' = 'click'");
    expect(preds(m.root!)).toEqual(['events.data @> param !sarg', "events.data = literal !sarg"]);
    expect(predicatesOf(m.root!)[1]!.wrapped).not.toBeNull();
  });
  it('INSERT ... ON CONFLICT ... RETURNING', () => {
    const m = model('INSERT INTO users (email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id');
    const b = m.root!;
    expect(m.kind).toBe('insert');
    expect(b.target?.name).toBe('users');
    expect(b.insertColumns).toEqual(['email', 'name']);
    expect(b.values).toHaveLength(1);
    expect(b.assignments.map((a) => a.column)).toEqual(['name']);
    expect(b.returning).toHaveLength(1);
  });
  it('UPDATE ... FROM', () => {
    const m = model('UPDATE orders o SET status = $1 FROM users u WHERE u.id = o.user_id AND u.banned');
    expect(tables(m)).toEqual(['orders', 'users']);
    expect(preds(m.root!)).toEqual(['users.id = column']);
  });
  it('DELETE ... USING', () => {
    const m = model('DELETE FROM sessions s USING users u WHERE s.user_id = u.id AND u.deleted_at IS NOT NULL');
    expect(m.kind).toBe('delete');
    expect(tables(m)).toEqual(['sessions', 'users']);
    expect(preds(m.root!)).toEqual(['sessions.user_id = column', 'users.deleted_at IS NOT NULL null !sarg']);
  });
  it('LATERAL join', () => {
    const m = model('SELECT u.id, l.total FROM users u CROSS JOIN LATERAL (SELECT sum(total) AS total FROM orders o WHERE o.user_id = u.id) l');
    const derived = m.root!.from.find((t) => t.kind === 'derived')!;
    expect(derived.lateral).toBe(true);
    expect(derived.query!.outerRefs.map((c) => c.name)).toEqual(['id']);
  });
  it('window functions and FILTER', () => {
    const m = model('SELECT user_id, count(*) FILTER (WHERE status = $1) AS paid, row_number() OVER (PARTITION BY user_id ORDER BY created_at DESC) FROM orders GROUP BY user_id, created_at');
    const items = m.root!.selectItems.map((s) => s.expr);
    expect(items[1]).toMatchObject({ type: 'func', name: 'count', star: true, aggregate: true });
    expect(items[2]).toMatchObject({ type: 'func', name: 'row_number', window: true });
    expect(cols(m.root!, 'groupBy')).toEqual(['orders.user_id', 'orders.created_at']);
  });
  it('GROUPING(...) is a call allowed only where aggregates are, its range to the closing bracket', () => {
    const sql = 'SELECT status, count(*) FROM t GROUP BY ROLLUP (status) HAVING GROUPING(status) = 0';
    const having = model(sql).root!.having!;
    expect(having.type === 'binary' && having.left).toMatchObject({ type: 'func', name: 'grouping', aggregate: true, range: { start: 63, end: 79 }, nameRange: { start: 63, end: 71 } });
    expect(sql.slice(63, 79)).toBe('GROUPING(status)');
  });
  it('CTE with data-modifying statement and RETURNING', () => {
    const m = model('WITH moved AS (DELETE FROM queue WHERE id = $1 RETURNING *) INSERT INTO done (id, payload) SELECT id, payload FROM moved');
    expect(m.root!.ctes.map((c) => c.name)).toEqual(['moved']);
    expect(m.root!.ctes[0]!.query.type).toBe('delete');
    expect(tables(m)).toEqual(['done', 'queue']);
    const source = m.blocks.find((b) => b.context === 'insert-source')!;
    expect(source.from[0]).toMatchObject({ kind: 'cte', name: 'moved' });
  });
  it('correlated and uncorrelated subqueries', () => {
    const m = model('SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS n FROM users u WHERE u.org_id IN (SELECT id FROM orgs WHERE plan = $1)');
    const [scalar, inq] = m.root!.children;
    expect(scalar).toMatchObject({ context: 'scalar', depth: 1 });
    expect(scalar!.outerRefs.map((c) => `${c.table}.${c.name}`)).toEqual(['users.id']);
    expect(inq).toMatchObject({ context: 'in' });
    expect(inq!.outerRefs).toEqual([]);
  });
  it('an alias hides its table name: in a self-correlated subquery `t.` is the outer t, in both dialects', () => {
    for (const d of ['postgresql', 'mysql'] as const) {
      const m = model('SELECT a FROM t WHERE EXISTS (SELECT 1 FROM t t2 WHERE t2.a = t.a AND t2.b > 5)', d);
      const sub = m.root!.children[0]!;
      expect(sub.outerRefs.map((c) => `${c.qualifier}.${c.name}`)).toEqual(['t.a']);
      expect(sub.outerRefs[0]!.scope).toBe(m.root);
      expect(preds(sub)).toEqual(['t.a = param', 't.b > literal']);
    }
    // with no enclosing t, a name an alias shadows still resolves (lenient `schema.table.column`)
    const lone = model('SELECT t.a FROM public.t t2 WHERE public.t.b = 1');
    expect(cols(lone.root!, 'where')).toEqual(['t.b']);
  });
  it('set operations and VALUES', () => {
    const m = model("SELECT id FROM a UNION SELECT id FROM b EXCEPT SELECT id FROM c");
    expect(tables(m)).toEqual(['a', 'b', 'c']);
    const v = model('VALUES (1, 2), (3, 4)');
    expect(v.root!.values).toHaveLength(2);
  });
  it('MERGE', () => {
    const m = model('MERGE INTO stock s USING deliveries d ON s.item = d.item WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty WHEN NOT MATCHED THEN INSERT (item, qty) VALUES (d.item, d.qty)');
    expect(m.kind).toBe('merge');
    expect(tables(m)).toEqual(['deliveries', 'stock']);
  });
  it('LIKE with concatenated pattern and UPDATE SET (a, b) = (...)', () => {
    expect(preds(model("SELECT id FROM t WHERE name LIKE '%' || $1 || '%'").root!)).toEqual(['t.name LIKE expression !sarg']);
    expect(model('UPDATE t SET (a, b) = ($1, $2) WHERE id = $3').root!.assignments).toHaveLength(2);
  });
});

describe('positions', () => {
  it('converts libpg-query byte offsets to string offsets after non-ASCII text', () => {
    const sql = "SELECT 'héllo wörld 🎉', * FROM users";
    const d = analyze(sql, { rules: { 'no-select-star': 'warn' } }).diagnostics.find((x) => x.ruleId === 'no-select-star')!;
    expect(sql.slice(d.start, d.end)).toBe('*');
  });
  it('reports a parse error at the offending token and still analyses the other statements', () => {
    const sql = 'SELECT * FROM a;\nSELEC id FROM t;\nSELECT * FROM b';
    const res = analyze(sql, { rules: { 'no-select-star': 'warn' } });
    expect(res.diagnostics.map((d) => `${d.ruleId}@${sql.slice(d.start, d.end)}`)).toEqual(['no-select-star@*', 'parse-error@SELEC', 'no-select-star@*']);
    expect(res.diagnostics[1]!.message).toBe('syntax error at or near "SELEC"');
  });
  it('reports node-sql-parser errors with a position', () => {
    const sql = 'SELECT id FORM users';
    const res = analyze(sql, { dialect: 'mysql' });
    expect(res.diagnostics).toHaveLength(1);
    expect(res.diagnostics[0]!.ruleId).toBe('parse-error');
    expect(sql.slice(res.diagnostics[0]!.start, res.diagnostics[0]!.end)).toBe('users');
  });
  it('keeps statements and positions in CRLF text with comments', () => {
    const sql = '-- header\r\n/* block */ SELECT * FROM t; -- trailing\r\nSELECT id FROM t ORDER BY rand()';
    const res = analyze(sql, { dialect: 'mysql', rules: { 'no-select-star': 'warn' } });
    expect(res.diagnostics.map((d) => sql.slice(d.start, d.end))).toEqual(['*', 'rand()']);
  });
  it('never reports the words order, error, a string with != or RAND() in a comment', () => {
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) {
      const res = analyze("SELECT id, 'order' AS error FROM t WHERE note = 'a != b' AND id = 1 -- ORDER BY RAND()\n", { dialect });
      expect(res.diagnostics).toEqual([]);
    }
  });
});

describe('parse failures are diagnostics, never exceptions', () => {
  const inputs = ['', '   ', '-- only a comment', ';;;', 'SELECT (((', "SELECT 'unterminated", 'SELECT /* open', '\u0000\u0001', ')))', 'SELECT ' + '('.repeat(5000), 'SELECT ' + '('.repeat(200) + '1' + ')'.repeat(200)];
  for (const dialect of ['postgresql', 'mysql', 'sqlite', 'bigquery', 'transactsql', 'snowflake'] as const) {
    it(dialect, () => {
      for (const sql of inputs) {
        const res = analyze(sql, { dialect });
        for (const d of res.diagnostics) {
          expect(d.start).toBeGreaterThanOrEqual(0);
          expect(d.end).toBeLessThanOrEqual(sql.length);
        }
      }
    });
  }
  it('skips DDL that node-sql-parser lacks instead of calling valid SQL an error', () => {
    const sql = "CREATE DYNAMIC TABLE t2 TARGET_LAG = '1 minute' WAREHOUSE = wh AS SELECT a FROM t;\nSELECT * FROM t";
    const res = analyze(sql, { dialect: 'snowflake', rules: { 'no-select-star': 'warn' } });
    expect(res.statements[0]!.error?.kind).toBe('skipped');
    expect(res.diagnostics.map((d) => d.ruleId)).toEqual(['no-select-star']);
    // a query it cannot parse is still reported, with the whole token named
    const bad = analyze('SELECT a FROM t WHERE a = = 1', { dialect: 'mysql' });
    expect(bad.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual(['warn sqlperf could not read this statement (node-sql-parser, mysql): syntax error at or near "="']);
  });
  it('skips ClickHouse statements that PostgreSQL rejects, with the evidence', () => {
    const sql = [
      'DROP TABLE traces ON CLUSTER default',
      'ALTER TABLE events ADD COLUMN tags Array(String) DEFAULT [] AFTER name',
      "CREATE TABLE t (id String, ts DateTime64(3)) ENGINE = MergeTree ORDER BY id",
      'SELECT * FROM users',
      'SELEC broken',
    ].join(';\n');
    const res = analyze(sql, { rules: { 'no-select-star': 'warn' } });
    expect(res.statements.map((s) => s.error?.kind ?? 'ok')).toEqual(['skipped', 'skipped', 'skipped', 'ok', 'syntax']);
    expect(res.statements[0]!.error!.message).toBe('not analysed: ClickHouse SQL (ON CLUSTER)');
    expect(res.diagnostics.map((d) => d.ruleId)).toEqual(['no-select-star', 'parse-error']);
  });
  it('reports DDL that PostgreSQL rejects with a message other than "syntax error", though no rule reads its tree', () => {
    const sql = "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET RESTART WITH 3;\nCREATE EXTENSION e VERSION '2' FROM '1'";
    const res = analyze(sql);
    expect(res.diagnostics.map((d) => `${d.severity} ${d.start}-${d.end} ${d.message}`)).toEqual([
      'error 57-64 sequence option "restart" not supported here',
      'error 104-108 CREATE EXTENSION ... FROM is no longer supported',
    ]);
    expect(res.diagnostics.map((d) => sql.slice(d.start, d.end))).toEqual(['RESTART', 'FROM']);
    expect(res.statements.map((s) => s.kind)).toEqual(['other', 'unparsed', 'unparsed']);
  });
  it('node-sql-parser does not get to see unclosed deep nesting', () => {
    const res = analyze('SELECT * FROM t WHERE ' + '('.repeat(14) + 'a = 1', { dialect: 'mysql' });
    expect(res.diagnostics.map((d) => `${d.severity} ${d.message}`)).toEqual(['error syntax error: "(" is never closed']);
  });
});
