import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { lex } from '../src/parse/lexer.js';
import { parseText } from '../src/parse/index.js';
import { predicatesOf } from '../src/model/predicates.js';
import type { Expr, StatementModel } from '../src/model/types.js';
import { walkExpr } from '../src/model/walk.js';
import { readFixture } from './helpers/fixtures.js';

beforeAll(() => ready());

function models(sql: string, dialect: Dialect = 'postgresql'): StatementModel[] {
  const res = analyze(sql, { dialect, modelOnly: true });
  expect(res.diagnostics.filter((d) => d.ruleId === 'parse-error').map((d) => d.message)).toEqual([]);
  return res.statements.map((s) => s.model!).filter(Boolean);
}
const model = (sql: string, dialect: Dialect = 'postgresql') => {
  const m = models(sql, dialect);
  expect(m).toHaveLength(1);
  return m[0]!;
};

/** Every parameter of the statement as `text@start-end` (the text is the source under its range). */
function params(sql: string, dialect: Dialect = 'postgresql'): string[] {
  const m = model(sql, dialect);
  const out: string[] = [];
  const visit = (e: Expr | null | undefined) =>
    e &&
    walkExpr(e, (x) => {
      if (x.type === 'param') out.push(`${sql.slice(x.range.start, x.range.end)}@${x.range.start}-${x.range.end}`);
    });
  for (const b of m.blocks) {
    b.selectItems.forEach((s) => visit(s.expr));
    visit(b.where);
    b.joins.forEach((j) => visit(j.on));
    visit(b.having);
    visit(b.limit);
    visit(b.offset);
    b.values.forEach((r) => r.forEach(visit));
    b.assignments.forEach((a) => visit(a.value));
  }
  return out.sort();
}

/** Every column reference in WHERE of every block, by name. */
function whereColumns(sql: string, dialect: Dialect = 'postgresql'): string[] {
  const out: string[] = [];
  for (const b of model(sql, dialect).blocks)
    if (b.where)
      walkExpr(b.where, (x) => {
        if (x.type === 'column') out.push(x.name);
      });
  return out.sort();
}

const preds = (sql: string, dialect: Dialect = 'postgresql') =>
  predicatesOf(model(sql, dialect).root!).map((p) => `${p.column?.name} ${p.op} ${p.valueKind}${p.sargable ? '' : ' !sarg'}${p.underOr ? ' or' : ''}`);

describe('sqlc parameters', () => {
  it('sqlc.arg(x) is a parameter, and the comparison an equality on the column', () => {
    const sql = 'SELECT id FROM tasks WHERE workspace_id = sqlc.arg(workspace_id)';
    expect(params(sql)).toEqual(['sqlc.arg(workspace_id)@42-64']);
    expect(whereColumns(sql)).toEqual(['workspace_id']);
    expect(preds(sql)).toEqual(['workspace_id = param']);
  });
  it('sqlc.narg(x)::text IS NULL is no column', () => {
    const sql = 'SELECT id FROM tasks WHERE (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))';
    expect(whereColumns(sql)).toEqual(['status']);
    expect(params(sql)).toEqual(['sqlc.narg(status)@28-45', 'sqlc.narg(status)@72-89']);
  });
  it('sqlc.slice(x) in MySQL and SQLite', () => {
    for (const d of ['mysql', 'sqlite'] as const) {
      const sql = 'SELECT id FROM tasks WHERE id IN (sqlc.slice(ids)) AND w = sqlc.arg(w)';
      expect(params(sql, d)).toEqual(['sqlc.arg(w)@59-70', 'sqlc.slice(ids)@34-49']);
      expect(whereColumns(sql, d)).toEqual(['id', 'w']);
    }
  });
  it('@name in PostgreSQL is a parameter, also with a cast; @> and <@ stay operators', () => {
    const sql = 'SELECT id FROM tasks WHERE workspace_id = @workspace_id AND ids = ANY(@ids::uuid[]) AND tags @> $1 AND x <@ y';
    expect(params(sql)).toEqual(['$1@96-98', '@ids@70-74', '@workspace_id@42-55']);
    expect(whereColumns(sql)).toEqual(['ids', 'tags', 'workspace_id', 'x', 'y']);
  });
  it('the sqlc annotation marks the statement', () => {
    const sql = '-- name: GetTask :one\nSELECT * FROM tasks WHERE id = $1;\n\nSELECT * FROM other;\n-- name: ListTasks :many\nSELECT * FROM tasks;';
    const ms = models(sql);
    expect(ms.map((m) => m.sqlc ?? null)).toEqual([{ name: 'GetTask', command: 'one' }, null, { name: 'ListTasks', command: 'many' }]);
  });
});

describe('named and psql parameters in PostgreSQL', () => {
  it(':name and :name::type are parameters, not a parse error', () => {
    const sql = 'SELECT id FROM users WHERE org = :org AND created_at > :since::timestamptz';
    expect(params(sql)).toEqual([':org@33-37', ':since@55-61']);
    expect(preds(sql)).toEqual(['org = param', 'created_at > param']);
  });
  it('the optional filter (:status IS NULL OR status = :status)', () => {
    const sql = 'SELECT id FROM users WHERE (:status IS NULL OR status = :status) AND org = :org';
    expect(whereColumns(sql)).toEqual(['org', 'status']);
    expect(params(sql)).toEqual([':org@75-79', ':status@28-35', ':status@56-63']);
  });
  it("psql :'var' is a value, :\"var\" a name, :var after FROM a table", () => {
    const sql = "SELECT :\"col\" FROM :tbl t JOIN :\"other\" o ON o.id = t.id WHERE t.name = :'name'";
    const m = model(sql);
    expect(m.root!.from.map((t) => t.hole)).toEqual([true, true]);
    expect(params(sql)).toEqual([':"col"@7-13', ":'name'@72-79"]);
  });
  it('$name (named) is a parameter', () => {
    expect(params('SELECT id FROM users WHERE id = $id AND b = $1')).toEqual(['$1@44-46', '$id@32-35']);
  });
  it('array slices and casts are not parameters', () => {
    const sql = 'SELECT a[1:n], a[lo:hi], b::text, ARRAY[:x] FROM t WHERE c = :y';
    expect(params(sql)).toEqual([':x@40-42', ':y@61-63']);
  });
  it('nothing inside strings, comments or dollar quotes is touched', () => {
    const sql = "SELECT ':x', $$ @y :z $$ /* :w */ FROM t WHERE a = ':v' -- :u";
    expect(params(sql)).toEqual([]);
    expect(lex(sql, 'postgresql').filter((t) => t.type === 'param')).toEqual([]);
  });
  it('? stays the jsonb operator in PostgreSQL text (knex ? and ?? are bound by the embed layer)', () => {
    expect(params("SELECT id FROM t WHERE a = $1 AND data ? 'k'")).toEqual(['$1@27-29']);
    expect(parseText('SELECT id FROM t WHERE a = ?', 'postgresql').statements[0]!.parser).toBe('none');
  });
  it('knex \\? is the ? operator itself', () => {
    expect(params("SELECT id FROM t WHERE data \\? 'k' AND a = $1")).toEqual(['$1@43-45']);
  });
  it('keeps offsets after non-ASCII text', () => {
    const sql = "SELECT 'héllo' AS x FROM t WHERE a = :a AND b = @b";
    expect(params(sql)).toEqual([':a@37-39', '@b@48-50']);
  });
});

describe('parameters in node-sql-parser dialects', () => {
  it('SQLite ?1, :name, @name, $name', () => {
    const sql = 'SELECT id FROM t WHERE a = ?1 AND b = :b AND c = @c AND d = $d AND e = ?';
    expect(params(sql, 'sqlite')).toEqual(['$d@60-62', ':b@38-40', '?1@27-29', '?@71-72', '@c@49-51']);
    expect(whereColumns(sql, 'sqlite')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
  it('MySQL :name and ? with the optional filter', () => {
    const sql = 'SELECT id FROM t WHERE (:status IS NULL OR status = :status) AND a = ?';
    expect(whereColumns(sql, 'mysql')).toEqual(['a', 'status']);
    expect(params(sql, 'mysql')).toEqual([':status@24-31', ':status@52-59', '?@69-70']);
  });
});

describe('template placeholders (${name}: Flyway, Liquibase, schema generators)', () => {
  const sql = 'SELECT id FROM ${schema}.audit_log a JOIN ${t} x ON x.id = a.id WHERE a.kind = ${kind} AND a.at > ${flyway:since} LIMIT ${n}';
  it.each(['postgresql', 'mysql', 'sqlite'] as const)('%s: a placeholder is a value where one is expected, a variable table after FROM / JOIN', (dialect) => {
    const m = model(sql, dialect);
    expect(m.root!.from.map((t) => [t.name, t.hole])).toEqual([['audit_log', false], [expect.any(String), true]]);
    expect(whereColumns(sql, dialect)).toEqual(['at', 'kind']);
    const at = (p: string) => `${p}@${sql.indexOf(p)}-${sql.indexOf(p) + p.length}`;
    expect(params(sql, dialect).filter((p) => p.startsWith('${'))).toEqual([at('${flyway:since}'), at('${kind}'), at('${n}')]);
  });
  it('a placeholder joined to a name stays one name (`${name}_tenant_id`), in DDL the parser accepts', () => {
    const text = "create policy ${name}_tenant_id on ${name} using (tenant_id = 1);\nalter table ${name} enable row level security;\ncreate role logto_${db} password '${password}';\ngrant select on all tables in schema public to app_${db}_rw;";
    const parsed = parseText(text, 'postgresql');
    expect(parsed.statements.map((s) => (s.parser === 'none' ? s.error.message : s.parser))).toEqual(['pg', 'pg', 'pg', 'pg']);
    expect(lex('to app_${db}_rw', 'postgresql').map((t) => `${t.type}:${t.value}`)).toEqual(['ident:to', 'ident:app_', 'param:${db}', 'ident:_rw']);
  });
  it('the lexer reads ${name} as one parameter token, and leaves strings, comments and $-quotes alone', () => {
    const text = "SELECT '${a}', $$ ${b} $$ /* ${c} */, ${d.e-f:g} FROM t -- ${h}";
    expect(lex(text, 'postgresql').filter((t) => t.type === 'param').map((t) => t.value)).toEqual(['${d.e-f:g}']);
    expect(lex('SELECT ${} , ${1x}', 'postgresql').filter((t) => t.type === 'param')).toEqual([]);
  });
});

describe('psql scripts', () => {
  it('meta-commands are skipped; statements around them are kept', () => {
    const sql = '\\restrict abc123\n\\set ON_ERROR_STOP on\nSELECT id FROM users WHERE id = :id\n\\echo done\n\\i other.sql\nSELECT 2;\n';
    const parsed = parseText(sql, 'postgresql');
    expect(parsed.statements.map((s) => [s.parser, sql.slice(s.range.start, s.range.end)])).toEqual([
      ['pg', 'SELECT id FROM users WHERE id = :id'],
      ['pg', 'SELECT 2'],
    ]);
  });
  it('COPY ... FROM stdin data is skipped up to \\.', () => {
    const sql = "COPY public.users (id, name) FROM stdin;\n1\tAnn; DROP\n2\t'x\n\\.\n\nSELECT count(*) FROM users;\n";
    const parsed = parseText(sql, 'postgresql');
    expect(parsed.statements.map((s) => [s.parser, sql.slice(s.range.start, s.range.end)])).toEqual([
      ['pg', 'COPY public.users (id, name) FROM stdin'],
      ['pg', 'SELECT count(*) FROM users'],
    ]);
  });
  it('a psql :var that names a schema, an index or a view parses (as a name), in every statement', () => {
    const sql = 'drop schema if exists :app cascade;\ncreate schema :app;\ncreate index :idx on :app.jobs (id);\ndrop view :v;\nselect count(*) from :"app".jobs;';
    const parsed = parseText(sql, 'postgresql');
    expect(parsed.statements.map((s) => (s.parser === 'none' ? s.error.message : s.parser))).toEqual(['pg', 'pg', 'pg', 'pg', 'pg']);
    // still a value where a value goes
    expect(params('SELECT id FROM jobs WHERE queue = :app')).toEqual([':app@34-38']);
  });
  it("a psql command after a query on its line (\\gset, \\gexec) ends the query, which parses; in SQLite it is the parser's", () => {
    const text = "SELECT db_exists('x') AS e \\gset\n\\if :e\n  DROP DATABASE x;\n\\endif\nSELECT 'DROP TABLE ' || relname FROM pg_class \\gexec\n";
    const parsed = parseText(text, 'postgresql');
    expect(parsed.statements.map((s) => [s.parser, text.slice(s.range.start, s.range.end)])).toEqual([
      ['pg', "SELECT db_exists('x') AS e"],
      ['pg', 'DROP DATABASE x'],
      ['pg', "SELECT 'DROP TABLE ' || relname FROM pg_class"],
    ]);
    expect(parseText('SELECT 1 \\gset\n', 'sqlite').statements[0]!.parser).toBe('none');
  });
});

describe('the parameter fixtures parse in every dialect they name', () => {
  const files = ['no-or-across-columns/valid-params.sql', 'no-or-across-columns/valid-params-nsp.sql', 'no-or-across-columns/invalid-params.sql', 'no-select-star/valid-sqlc.sql', 'missing-index/invalid-params.sql'];
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
