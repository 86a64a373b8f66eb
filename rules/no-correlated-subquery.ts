import { defineRule } from '../src/rule.js';
import { localColumns, type Predicate } from '../src/model/predicates.js';
import { rowsOf, rowsRead, sourceOf, sourceRows } from '../src/model/rows.js';
import { findTable } from '../src/schema/load.js';
import { anyUsableIndex } from '../src/schema/match.js';
import type { ColumnExpr, QueryBlock, TableRef } from '../src/model/types.js';
import { blockExprs, walkExpr } from '../src/model/walk.js';
import type { Schema } from '../src/schema/types.js';

function within(x: QueryBlock | null | undefined, b: QueryBlock): boolean {
  for (let s = x; s; s = s.parent) if (s === b) return true;
  return false;
}

/** Columns of queries outside `b` that `b` (or a block inside it) reads. */
function outerColumns(b: QueryBlock): ColumnExpr[] {
  return b.outerRefs.filter((c) => !within(c.scope, b));
}

/**
 * `inner.col = <outer columns>` in the subquery's own WHERE / ON, not under OR or NOT, on a bare column
 * of one of its FROM items: the form an index on `col` turns into one index lookup per outer row.
 */
function equalityCorrelation(b: QueryBlock, p: Predicate): boolean {
  if (p.clause === 'having' || p.kind !== 'equality' || p.underOr || p.negated || p.wrapped || !p.column || !p.value) return false;
  if (p.column.outer || localColumns(p.value).length) return false;
  let outer = false;
  walkExpr(p.value, (x) => {
    if (x.type === 'subquery') return false;
    if (x.type === 'column' && x.outer && !within(x.scope, b)) outer = true;
    return true;
  });
  return outer;
}

interface Correlation {
  /** An outer column is compared by equality with a bare inner column in the subquery's own conditions (the rest are residual). */
  equality: boolean;
  /** The inner relations those equalities restrict, with their columns. */
  keyed: Map<TableRef, string[]>;
}

/**
 * `b` and the derived tables of its FROM, at any depth: an outer column compared in
 * `(SELECT array_agg(l) FROM (SELECT ... FROM lists WHERE lists.campaign_id = c.id) l)` is read per
 * outer row the same way as in `b`'s own WHERE.
 */
function fromBlocks(b: QueryBlock, all: readonly QueryBlock[]): QueryBlock[] {
  const out = [b];
  for (let i = 0; i < out.length; i++) for (const c of all) if (c.parent === out[i] && c.parentClause === 'from') out.push(c);
  return out;
}

function correlation(b: QueryBlock, preds: Predicate[], schema?: Schema): Correlation {
  const eqs = preds.filter((p) => equalityCorrelation(b, p));
  // an outer column read only in the subquery's select list changes the value, not which rows it reads
  const selectRanges = blockExprs(b)
    .filter(([clause]) => clause === 'select')
    .map(([, e]) => e.range);
  const inSelect = (c: ColumnExpr) => selectRanges.some((r) => c.range.start >= r.start && c.range.end <= r.end);
  // one equality on an inner column is the index lookup; other outer references (a range, a nested
  // subquery's) filter what that lookup found, as residual predicates do
  const equality = eqs.length > 0 || outerColumns(b).every(inSelect);
  const keyed = new Map<TableRef, string[]>();
  for (const p of eqs) {
    const t = sourceOf(p.block, p.block.from, p.column!, schema);
    if (!t) continue;
    keyed.set(t, [...(keyed.get(t) ?? []), p.column!.name]);
  }
  return { equality, keyed };
}

/** The block reads no table, at any depth of its FROM: only VALUES, small functions, and derived tables of those. */
function readsNoTable(b: QueryBlock, schema: Schema | undefined): boolean {
  if (b.type === 'values') return true;
  if (b.type !== 'select') return false;
  return b.from.every((t) => {
    if (t.kind === 'derived') return !!t.query && readsNoTable(t.query, schema);
    return (t.kind === 'values' || t.kind === 'function') && sourceRows(t, schema) !== 'many';
  });
}

export default defineRule({
  name: 'no-correlated-subquery',
  category: 'performance',
  severity: 'warn',
  constructs: ['correlated'],
  // measured on 9 real applications (docs/precision.md): 0 of 13;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow correlated subqueries in the select list and WHERE that cannot use an index (EXISTS excepted)',
  messages: {
    scalar: 'This subquery references {{refs}} of the outer query other than by equality with an inner column, so it runs once per outer row and no index can find its rows; compute it once with a JOIN (GROUP BY in a derived table), a LATERAL join, or a window function',
    in: 'This IN/ANY subquery references {{refs}} of the outer query other than by equality with an inner column, so it is evaluated again for every outer row and no index can find its rows; write it as EXISTS (SELECT 1 ... WHERE ...) or a JOIN',
    noIndex: 'This subquery runs once per outer row ({{refs}}) and no index on {{table}} ({{columns}}) serves it, so each outer row scans {{table}}; index {{table}} ({{columns}}), or compute it once with a JOIN on a derived table grouped by {{columns}}',
  },
  docs: {
    why: 'A subquery that uses a column of the outer query cannot be computed once: the database evaluates it again for each outer row (PostgreSQL runs it as a SubPlan, MySQL as a dependent subquery). When the subquery finds its rows by `inner.col = outer.col` and an index (or the primary key) on the inner table leads with `col`, each run is one index lookup, the same work as a nested-loop join, and nothing is reported. It is reported when each run has to scan: with a schema, when no index on the inner table leads with the correlated columns; without a schema (the indexes cannot be known), only when the correlation is not a plain equality on an inner column (a range, `lower(col) = ...`, an OR, a reference inside a nested subquery). Aggregate once per key in a derived table and JOIN it, use LATERAL when you need the top rows per key, or add the index. Never reported: a correlated EXISTS / NOT EXISTS (planners turn it into a semi- or anti-join); a subquery that reads no table (only VALUES, `unnest` or other array/JSON functions); a subquery whose outer query has one row (a lookup by primary or unique key, `id` without a schema, LIMIT 1): it runs once; one in the select list of a query that returns a bounded page (a LIMIT up to 1000, a table the config says is small): it runs once per row shown.',
    bad: 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.created_at > u.last_seen_at) AS unseen FROM users u',
    good: 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS orders FROM users u',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if (!b.outerRefs.length || (b.parentClause !== 'select' && b.parentClause !== 'where')) continue;
      // EXISTS is the semi-join form planners handle well; FROM / LATERAL is the suggested fix
      if (b.context !== 'scalar' && b.context !== 'in' && b.context !== 'any') continue;
      // under a one-row outer query (a lookup by key, LIMIT 1) it runs once; in the select list of a
      // query that returns a bounded page (LIMIT 20), once per row shown, after the sort and the LIMIT
      const scopes = [...new Set(b.outerRefs.map((c) => c.scope).filter((s): s is QueryBlock => !!s))];
      const runs = (s: QueryBlock) => (b.parentClause === 'select' && s === b.parent ? rowsOf(s, ctx.schema) : rowsRead(s, ctx.schema));
      if (scopes.length && scopes.every((s) => runs(s) === 'one' || (b.parentClause === 'select' && s === b.parent && runs(s) === 'small'))) continue;
      // no table read: VALUES, unnest($1), jsonb_array_elements(u.tags), a row built from outer columns
      // (`row_to_json((SELECT r FROM (SELECT m.role, t.name) r))`)... costs what the value holds
      if (readsNoTable(b, ctx.schema)) continue;
      if (b.type === 'setop' || b.type === 'values') continue;
      const refs = [...new Set(b.outerRefs.map((c) => ctx.source(c.range)))].join(', ');
      const corr = correlation(b, fromBlocks(b, ctx.blocks).flatMap((x) => ctx.predicates(x)), ctx.schema);
      if (!corr.equality) {
        ctx.report({ range: b.range, messageId: b.context === 'scalar' ? 'scalar' : 'in', data: { refs } });
        continue;
      }
      // equality: an index nested loop when the inner table has an index leading with the column;
      // only a schema can tell that there is none
      if (!ctx.schema) continue;
      const tables = [...corr.keyed].map(([t, cols]) => ({ t, cols, st: t.kind === 'table' && t.name && !t.hole ? findTable(ctx.schema!, t.name, t.schema) : undefined }));
      if (!tables.length || tables.some((x) => !x.st || x.st.kind !== 'table')) continue;
      if (tables.some((x) => anyUsableIndex(x.st!, x.cols.map((c) => ({ column: c, expression: null }))))) continue;
      const first = tables[0]!;
      ctx.report({ range: b.range, messageId: 'noIndex', data: { refs, table: first.t.name!, columns: [...new Set(first.cols)].join(', ') } });
    }
  },
});
