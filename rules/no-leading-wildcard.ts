import { defineRule } from '../src/rule.js';
import { leadingWildcard } from '../src/model/predicates.js';
import { isStringLiteral, type AstNode, type TSESTree } from '../src/embed/estree.js';
import { boundValues, builderLikes, constResolver, likePredicates, modelsOf, patternHead, startsWithWildcard, valueAtHead, withValueCheck } from '../src/embed/hole-values.js';
import { searchTarget, type SearchTarget } from '../src/model/relations.js';
import type { Dialect } from '../src/dialect.js';
import { trigramIndexed } from '../src/schema/match.js';
import { unwrap, type OperandSequence } from '../src/embed/host-code.js';
import { builderScoped } from '../src/embed/builder-scope.js';

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** The value as the message shows it: its host text, and for a constant `pattern` what it holds (`pattern = `%${q}%``). */
function shown(expr: AstNode | OperandSequence, code: string, resolve: (id: TSESTree.Identifier) => AstNode | undefined): string {
  const text = code.slice(expr.range[0], expr.range[1]);
  const u = expr.type === 'SequenceOfOperands' ? undefined : unwrap(expr);
  const init = u?.type === 'Identifier' ? resolve(u) : undefined;
  return short(init?.range ? `${text} = ${code.slice(init.range[0], init.range[1])}` : text);
}

/**
 * The index that serves a contains-search, in the dialect's own terms: a trigram GIN index in
 * PostgreSQL (on `lower(col)` when the query lowers it), a FULLTEXT index in MySQL / MariaDB, an
 * FTS5 trigram table in SQLite; both of the first two when the dialect is not known.
 */
function remedy(t: Pick<SearchTarget, 'table' | 'column' | 'key'>, dialect: Dialect | undefined): string {
  const table = t.table ?? '<table>';
  const pg = `for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON ${table} USING gin (${t.key} gin_trgm_ops)`;
  const my = `ALTER TABLE ${table} ADD FULLTEXT INDEX (${t.column}) and search with MATCH (${t.column}) AGAINST (...)`;
  if (dialect === 'postgresql') return pg;
  if (dialect === 'mysql' || dialect === 'mariadb') return `for word search add a FULLTEXT index: ${my}`;
  if (dialect === 'sqlite') return `for substring search use an FTS5 table: CREATE VIRTUAL TABLE ${table.replace(/\W+/g, '_')}_fts USING fts5(${t.column}, tokenize='trigram')`;
  return `${pg} (PostgreSQL); in MySQL: ${my}`;
}

/** drizzle's `not(like(col, '%x'))`: the builder call is the argument of a `not(...)` call, a negative pattern. */
function negated(call: AstNode, parent: (n: AstNode) => AstNode | null): boolean {
  const p = parent(call);
  return p?.type === 'CallExpression' && p.arguments.length === 1 && p.arguments[0] === call && p.callee.type === 'Identifier' && p.callee.name === 'not';
}

export default withValueCheck(
  defineRule({
    name: 'no-leading-wildcard',
    category: 'performance',
    severity: 'warn',
    constructs: ['like'],
    // measured on 9 real applications (docs/precision.md): 0 of 16: contains-searches by design, CTE columns;
    // on request until it holds at 70% or more
    recommended: false,
    description: 'Disallow LIKE patterns that start with a wildcard in filters',
    messages: {
      leading: '{{op}} pattern {{pattern}} starts with a wildcard, so a B-tree index on {{column}} cannot be used and every row is scanned; {{remedy}}',
      leadingValue: '{{column}} {{op}} {{value}}: the pattern starts with a wildcard, so a B-tree index on {{column}} cannot be used and every row is scanned; {{remedy}}',
    },
    docs: {
      why: 'A B-tree index is ordered by prefix: it can find `abc%` but not `%abc`. A pattern that starts with `%` or `_` reads every row, also when the wildcard is in the value the code binds (`ILIKE ${`%${q}%`}`, `LIKE $1` with `[`%${q}`]`). For a contains-search on a big table the message names the index that serves it: in PostgreSQL a trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX ... USING gin (col gin_trgm_ops)`, on `lower(col)` when the query lowers the column), in MySQL a FULLTEXT index queried with `MATCH ... AGAINST`, in SQLite an FTS5 table. Not reported: a search the schema already serves with a trigram index (GIN or GiST, not partial) on the column, or on `lower(col)` when the query lowers it; `NOT LIKE` / `NOT ILIKE` (no index serves a negative pattern, whatever its shape); an operand that is not a bare (or lower/upper-cased) column of a base table (a CTE or derived-table column, `substring(...)`); system catalogs (`pg_catalog`, `pg_*`, `information_schema`, `sqlite_master`, MySQL\'s system schemas); a table that yields one or a few rows (a key fixes it, or the config says it is small); and a search inside one tenant or parent, where another sargable equality restricts the same table (with a schema, one an index starts with; without one, on `id` / `*_id`): the index access goes through that predicate and the pattern only filters the rows it finds. The value-side check applies the same conditions to the SQL it fills.',
      bad: "SELECT id FROM users WHERE email LIKE '%@example.com'",
      good: "SELECT id FROM users WHERE email_domain = 'example.com'",
    },
    check(ctx) {
      for (const b of ctx.blocks) {
        for (const p of ctx.predicates(b)) {
          if (p.kind !== 'like' || !p.column) continue;
          const target = searchTarget(p, ctx.schema);
          if (!target || trigramIndexed(ctx.schema, target.table, target.key === target.column ? null : target.key, target.column)) continue;
          const lit = leadingWildcard(p.value);
          // `'${prefix}%'` (a host value first, a prefix match) is no wildcard to leadingWildcard; the value-side check judges the value
          if (!lit) continue;
          const column = ctx.source(p.wrapped?.range ?? p.column.range);
          ctx.report({ range: lit.range, messageId: 'leading', data: { op: p.op, pattern: ctx.source(p.value!.range), column, remedy: remedy(target, ctx.dialect) } });
        }
      }
    },
  }),
  {
    // the wildcard is in the value the code binds: a `${}` hole, a parameter array element, a quoted hole
    site(site, ctx) {
      const embedded = ctx.embedded;
      if (!embedded?.parsed || !site.node) return;
      const values = boundValues(site, embedded, ctx.parent);
      if (!values.length) return;
      const resolve = constResolver(ctx.parent, site.node);
      const wild = values.filter((v) => v.expr.type !== 'SequenceOfOperands' && startsWithWildcard(v.expr, resolve));
      if (!wild.length) return;
      const dialect = ctx.dialect;
      for (const p of likePredicates(modelsOf(embedded, dialect))) {
        const head = patternHead(p.value);
        const bound = head && valueAtHead(wild, head);
        if (!bound) continue;
        // the same silence conditions as the SQL side: NOT LIKE, not a base-table column, a search inside one parent, a trigram index
        const target = searchTarget(p, ctx.schema);
        if (!target || trigramIndexed(ctx.schema, target.table, target.key === target.column ? null : target.key, target.column)) continue;
        const column = embedded.sql.slice((p.wrapped ?? p.column!).range.start, (p.wrapped ?? p.column!).range.end);
        ctx.report({ range: bound.host, messageId: 'leadingValue', data: { op: p.op, column, value: shown(bound.expr, site.code, resolve), remedy: remedy(target, dialect) } });
      }
    },
    // query builders write the LIKE from their arguments: `.where('email', 'ilike', `%${q}%`)`, `.whereILike(col, v)`, drizzle `ilike(col, v)`
    program(program, ctx) {
      for (const b of builderLikes(program)) {
        const resolve = constResolver(ctx.parent, b.call);
        if (/^not\b/i.test(b.op) || negated(b.call, ctx.parent) || !startsWithWildcard(b.value, resolve)) continue;
        // a search inside one parent (`.where('workspaceId', '=', ws)` beside it), as on the SQL side
        if (builderScoped(b, ctx.parent)) continue;
        const col = unwrap(b.column);
        const column = isStringLiteral(col) ? col.value : ctx.source({ start: b.column.range[0], end: b.column.range[1] });
        ctx.report({ range: { start: b.value.range[0], end: b.value.range[1] }, messageId: 'leadingValue', data: { op: b.op, column, value: shown(b.value, ctx.code, resolve), remedy: remedy({ table: null, column, key: column }, ctx.dialect) } });
      }
    },
  },
);
