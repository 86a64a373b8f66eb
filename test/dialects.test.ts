import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { predicatesOf } from '../src/model/predicates.js';
import type { Expr, StatementModel } from '../src/model/types.js';
import { walkExpr } from '../src/model/walk.js';
import { parseText } from '../src/parse/index.js';
import { readFixture } from './helpers/fixtures.js';

/** Valid SQL that node-sql-parser's grammars reject as written, read after offset-preserving rewrites. */
beforeAll(() => ready());

function model(sql: string, dialect: Dialect): StatementModel {
  const res = analyze(sql, { dialect, modelOnly: true });
  expect(res.statements.filter((s) => s.error).map((s) => s.error!.message)).toEqual([]);
  expect(res.statements).toHaveLength(1);
  return res.statements[0]!.model!;
}

const at = (sql: string, e: { range: { start: number; end: number } }) => `${sql.slice(e.range.start, e.range.end)}@${e.range.start}`;

function columns(sql: string, m: StatementModel): string[] {
  const out: string[] = [];
  const visit = (e: Expr | null | undefined) =>
    e &&
    walkExpr(e, (x) => {
      if (x.type === 'column') out.push(`${x.qualifier ? x.qualifier + '.' : ''}${x.name}=${at(sql, x)}`);
    });
  for (const b of m.blocks) {
    b.selectItems.forEach((s) => visit(s.expr));
    visit(b.where);
    b.orderBy.forEach((o) => visit(o.expr));
  }
  return out;
}

const preds = (m: StatementModel) => predicatesOf(m.root!).map((p) => `${p.column?.name} ${p.op} ${p.valueKind}${p.sargable ? '' : ' !sarg'}`);

describe('SQLite', () => {
  it('[bracket] identifiers are names, with their positions', () => {
    const sql = 'SELECT [id], [t].[full name] FROM [my table] AS [t] WHERE [t].[id] = ?';
    const m = model(sql, 'sqlite');
    expect(columns(sql, m)).toEqual(['id=[id]@7', 't.full name=[t].[full name]@13', 't.id=[t].[id]@58']);
    expect(m.root!.from.map((t) => `${t.name} ${t.alias} ${at(sql, t)}`)).toEqual(['my table t [my table]@34']);
    expect(preds(m)).toEqual(['id = param']);
  });
  it('"double quoted" names are names, not strings', () => {
    const sql = 'SELECT "id" FROM "users" WHERE "email" = ?';
    const m = model(sql, 'sqlite');
    expect(columns(sql, m)).toEqual(['id="id"@7', 'email="email"@31']);
    expect(preds(m)).toEqual(['email = param']);
  });
  it('LIMIT ? and OFFSET ?, also inside a subquery', () => {
    const sql = 'SELECT id FROM t WHERE id IN (SELECT id FROM u ORDER BY id LIMIT ? OFFSET ?) LIMIT ?';
    const m = model(sql, 'sqlite');
    const sub = m.blocks[1]!;
    expect([sub.limit, sub.offset, m.root!.limit].map((e) => `${e!.type} ${at(sql, e!)}`)).toEqual(['param ?@65', 'param ?@74', 'param ?@83']);
  });
  it('a keyword as alias (AS count)', () => {
    const sql = 'SELECT k, count(*) AS count, max(id) AS max FROM t GROUP BY k ORDER BY 2 DESC';
    const m = model(sql, 'sqlite');
    expect(m.root!.selectItems.map((s) => `${s.alias} ${s.expr.type}`)).toEqual(['null column', 'count func', 'max func']);
  });
  it('row-value SET (a, b) = (...): the statement and its WHERE are read', () => {
    const sql = 'UPDATE t SET (a, b) = (SELECT x, y FROM u WHERE u.id = t.id) WHERE t.k = ?';
    const m = model(sql, 'sqlite');
    expect(m.kind).toBe('update');
    expect(m.root!.assignments.map((a) => a.column)).toEqual(['a']);
    expect(preds(m)).toEqual(['k = param']);
  });
  it('upsert: ON CONFLICT ... DO UPDATE / DO NOTHING is read without its clause, up to RETURNING', () => {
    const up = "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) WHERE k > 0 DO UPDATE SET v = excluded.v WHERE kv.v <> excluded.v RETURNING k, v";
    const m = model(up, 'sqlite');
    expect(m.kind).toBe('insert');
    expect(m.root!.target?.name).toBe('kv');
    expect(m.root!.returning.map((r) => at(up, r.expr))).toEqual(['k@128', 'v@131']);
    const sel = model('INSERT INTO kv SELECT k, v FROM src WHERE src.k = ? ON CONFLICT DO NOTHING', 'sqlite');
    expect(predicatesOf(sel.blocks.find((b) => b.context === 'insert-source')!).map((p) => `${p.column?.table}.${p.column?.name} ${p.op}`)).toEqual(['src.k =']);
    // a misspelt clause is still a parse error
    const r = analyze('INSERT INTO kv (k) VALUES (?) ON CONFLIT DO NOTHING', { dialect: 'sqlite' });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.start}`)).toEqual(['parse-error 33']);
  });
  it('NULLS LAST / NULLS FIRST', () => {
    const sql = 'SELECT id FROM t ORDER BY a DESC NULLS LAST, b NULLS FIRST';
    const m = model(sql, 'sqlite');
    expect(m.root!.orderBy.map((o) => `${at(sql, o.expr)} ${o.direction}`)).toEqual(['a@26 desc', 'b@45 null']);
  });
});

describe('MySQL', () => {
  for (const dialect of ['mysql', 'mariadb'] as const) {
    it(`BINARY col is an expression over the column [${dialect}]`, () => {
      const sql = 'SELECT id FROM users WHERE BINARY email = ? AND id > 1';
      const m = model(sql, dialect);
      const p = predicatesOf(m.root!);
      expect(preds(m)).toEqual(['email = param !sarg', 'id > literal']);
      expect(at(sql, p[0]!.wrapped!)).toBe('BINARY email@27');
      expect(p[0]!.wrapped!.type === 'func' && p[0]!.wrapped!.name).toBe('binary');
    });
    it(`<=> is an equality [${dialect}]`, () => {
      const sql = 'SELECT id FROM users WHERE deleted_at <=> NULL AND org = ?';
      const m = model(sql, dialect);
      expect(preds(m)).toEqual(['deleted_at <=> null', 'org = param']);
      const e = m.root!.where!;
      expect(e.type === 'binary' && e.left.type === 'binary' && at(sql, { range: e.left.opRange })).toBe('<=>@38');
    });
  }
  it('index hints (FORCE / USE / IGNORE INDEX|KEY [FOR ...] (names)) are read past', () => {
    const sql = 'SELECT x.a FROM t AS x FORCE INDEX FOR JOIN (t_a) JOIN u IGNORE KEY FOR ORDER BY (u_k, u_j) ON u.id = x.a WHERE u.c = ? ORDER BY x.a';
    const m = model(sql, 'mysql');
    expect(m.root!.from.map((t) => `${t.name} ${t.alias}`)).toEqual(['t x', 'u null']);
    expect(predicatesOf(m.root!).map((p) => `${p.column?.table}.${p.column?.name}@${p.range.start}`)).toEqual(['u.id@95', 'u.c@112']);
    expect(preds(model('SELECT a FROM t USE INDEX (i1, i2) WHERE b = 1', 'mariadb'))).toEqual(['b = literal']);
    // without its list it is not a hint: the parser's error stands
    expect(analyze('SELECT a FROM t FORCE INDEX WHERE b = 1', { dialect: 'mysql' }).diagnostics.map((d) => d.ruleId)).toEqual(['parse-error']);
  });
  it('double-quoted strings are values, not columns', () => {
    const sql = 'SELECT id FROM users WHERE status = "active" AND name LIKE "%x"';
    const m = model(sql, 'mysql');
    expect(preds(m)).toEqual(['status = literal', 'name LIKE literal !sarg']);
  });
  it('BINARY as a type is left alone', () => {
    model('SELECT CAST(a AS BINARY) FROM t', 'mysql');
    model('SELECT CONVERT(a, BINARY) FROM t', 'mysql');
  });
});

describe('what is left alone', () => {
  it('PostgreSQL NULLS LAST and T-SQL [brackets] need no rewrite', () => {
    for (const [sql, d] of [['SELECT id FROM t ORDER BY a NULLS LAST', 'postgresql'], ['SELECT [id] FROM [t] WHERE [a] = 1', 'transactsql']] as const) {
      expect(parseText(sql, d).statements.map((s) => [s.parser, s.rewrites ?? []])).toEqual([[d === 'postgresql' ? 'pg' : 'nsp', []]]);
    }
  });
  it('a real minus is not BINARY', () => {
    const sql = 'SELECT id FROM t WHERE -a = 1 AND BINARY b = ?';
    const fns = predicatesOf(model(sql, 'mysql').root!).map((p) => (p.wrapped?.type === 'func' ? p.wrapped.name : p.wrapped?.type));
    expect(fns).toEqual(['unary', 'binary']);
  });
  it('an alias quoted for the parser keeps its name and position', () => {
    const sql = 'SELECT count(*) AS count FROM t';
    const st = parseText(sql, 'sqlite').statements[0]!;
    expect(st.parser).toBe('nsp');
    expect(st.rewrites).toEqual([{ start: 16, end: 24, kind: 'syntax', text: 'AS count' }]);
  });
});

describe('the dialect fixtures parse in every dialect they name', () => {
  const files = ['no-function-on-column/invalid-binary.sql', 'no-function-on-column/valid-binary.sql', 'no-select-star/invalid-sqlite.sql', 'no-or-across-columns/invalid-sqlite.sql'];
  for (const f of files) {
    it(f, () => {
      const fx = readFixture(join(import.meta.dirname, '..', 'fixtures', 'rules', f));
      for (const dialect of fx.dialects) {
        const res = analyze(fx.text, { dialect, modelOnly: true });
        expect(res.statements.filter((s) => s.error).map((s) => `${dialect}: ${s.error!.message}`)).toEqual([]);
      }
    });
  }
});
