import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import { firstDisjunct, flattenOr } from '../src/model/disjuncts.js';
import { localColumns } from '../src/model/predicates.js';
import type { ColumnExpr, Expr, QueryBlock } from '../src/model/types.js';
import { sourceOf } from '../src/model/rows.js';
import { conjuncts, unwrapCast } from '../src/model/walk.js';
import type { Predicate } from '../src/model/predicates.js';
import type { Dialect } from '../src/dialect.js';
import { findTable } from '../src/schema/load.js';
import { anyUsableIndex, expressionIndexed } from '../src/schema/match.js';
import type { Schema } from '../src/schema/types.js';

function columnKey(c: ColumnExpr): string {
  return `${c.table ?? c.qualifier ?? ''}.${c.name.toLowerCase()}`;
}

function columnKeys(e: Expr): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of localColumns(e)) out.set(columnKey(c), c.qualifier ? `${c.qualifier}.${c.name}` : c.name);
  return out;
}

/**
 * Columns every row a branch keeps is restricted on: the columns of its conjuncts, and for a
 * conjunct that is itself an OR, the columns all of its branches restrict.
 */
function restricted(e: Expr): Set<string> {
  const out = new Set<string>();
  for (const c of conjuncts(e)) {
    if (c.type === 'binary' && c.op === 'OR') {
      const subs = flattenOr(c).map(restricted);
      for (const k of subs[0]!) if (subs.every((s) => s.has(k))) out.add(k);
    } else for (const col of localColumns(c)) out.add(columnKey(col));
  }
  return out;
}

// with pg_trgm's similarity operators (`$1 %> name`): a trigram index serves those, never a B-tree
const PATTERN_OPS = new Set(['LIKE', 'ILIKE', '~~', '~~*', 'SIMILAR TO', '~', '~*', 'REGEXP', 'RLIKE', 'GLOB', '%', '<%', '%>', '<<%', '%>>']);

const REGEX_OPS = new Set(['~', '~*', 'REGEXP', 'RLIKE']);

/**
 * A pattern that certainly starts with fixed text (`'abc%'`, GLOB `'abc*'`, a regex `'^abc'`): a
 * B-tree index can serve its prefix. An unanchored regex (`'abc'`) matches anywhere in the value.
 */
function fixedPrefix(op: string, p: Expr): boolean {
  const v = unwrapCast(p);
  if (v.type !== 'literal' || v.kind !== 'string') return false;
  const text = String(v.value);
  if (REGEX_OPS.has(op)) return /^\^[^.[\]()*+?{}|^$\\]/.test(text);
  return !(op === 'GLOB' ? /^[*?[]/ : /^[%_]/).test(text);
}

/**
 * A branch no B-tree index could serve anyway, whatever the other branches do: only function calls
 * (`has_access(d.id, $1)`, `NOT is_private(d.id)`, a privilege check) or a pattern match without a
 * fixed prefix (`name ILIKE $1`, `title LIKE '%' || $1 || '%'`, a search box).
 */
function unindexable(e: Expr): boolean {
  return conjuncts(e).every((c) => {
    let x = unwrapCast(c);
    while (x.type === 'unary' && x.op === 'NOT') x = unwrapCast(x.arg);
    if (x.type === 'func') return !x.aggregate;
    // an existence test (`lj.id IS NOT NULL` on a LEFT JOIN) filters joined rows, no index finds them
    if ((x.type === 'unary' && x.op === 'IS NOT NULL') || (x.type === 'binary' && x.op === 'IS NOT' && unwrapCast(x.right).type === 'literal')) return true;
    return x.type === 'binary' && PATTERN_OPS.has(x.op) && !fixedPrefix(x.op, x.right);
  });
}

/** One OR chain and the conditions ANDed with it (at any level above it). */
interface Chain {
  branches: Expr[];
  siblings: Expr[];
}

/** The OR chains of a condition, each with the conjuncts that apply alongside it. */
function orChains(e: Expr | null, siblings: Expr[] = [], out: Chain[] = []): Chain[] {
  if (!e) return out;
  const list = conjuncts(e);
  for (const c of list) {
    if (c.type !== 'binary' || c.op !== 'OR') continue;
    const around = [...siblings, ...list.filter((x) => x !== c)];
    const branches = flattenOr(c);
    out.push({ branches, siblings: around });
    for (const br of branches) orChains(br, around, out);
  }
  return out;
}

/**
 * An equality that fixes a column of a table to a value the caller passes (`tenant_id = $1`,
 * `wl.worker_id = w.id` in a correlated subquery): an index lookup on it finds the rows, and an OR
 * beside it only filters what that lookup found.
 */
function lookupKey(b: QueryBlock, e: Expr): boolean {
  if (e.type !== 'binary' || e.op !== '=') return false;
  const value = (x: Expr) => {
    const v = unwrapCast(x);
    return v.type === 'param' || (v.type === 'column' && v.outer === true);
  };
  const column = (x: Expr) => {
    const v = unwrapCast(x);
    return v.type === 'column' && !v.outer && isTableColumn(b, v);
  };
  return (column(e.left) && value(e.right)) || (column(e.right) && value(e.left));
}

/**
 * A join key of the one relation the OR restricts (`LEFT JOIN grants g ON g.doc_id = d.id AND
 * (g.user_id = $1 OR g.group_id = $2)`): the join looks that relation's rows up by the key, one
 * parent at a time, and the OR only filters the few rows each lookup finds.
 */
function joinKey(b: QueryBlock, e: Expr, branches: Expr[]): boolean {
  if (e.type !== 'binary' || e.op !== '=') return false;
  const l = unwrapCast(e.left);
  const r = unwrapCast(e.right);
  if (l.type !== 'column' || r.type !== 'column' || l.outer || r.outer) return false;
  const sources = [...(b.target ? [b.target] : []), ...b.from];
  const ls = sourceOf(b, sources, l);
  const rs = sourceOf(b, sources, r);
  if (!ls || !rs || ls === rs) return false;
  const restricts = new Set(branches.flatMap((br) => localColumns(br).map((c) => sourceOf(b, sources, c))));
  return restricts.size === 1 && (restricts.has(ls) || restricts.has(rs));
}

/** The column belongs to a base table of the block (not a CTE, derived table or function). */
function isTableColumn(b: QueryBlock, c: ColumnExpr): boolean {
  const sources = [...(b.target ? [b.target] : []), ...b.from];
  const t = sourceOf(b, sources, c);
  if (t) return t.kind === 'table' && !t.hole;
  // unqualified among several sources: a table unless every source is something else
  return sources.some((s) => s.kind === 'table');
}

/**
 * With a schema: every branch has an index that finds its rows (`lower(slug) = $1 OR
 * lower(custom_domain) = $1` with an index on each expression). The planner combines them
 * (PostgreSQL's BitmapOr, SQLite's OR optimisation, MySQL's index merge): nothing to advise.
 */
function everyBranchIndexed(branches: Expr[], preds: readonly Predicate[], schema: Schema | undefined, dialect: Dialect | undefined): boolean {
  if (!schema || !dialect) return false;
  const indexed = (p: Predicate) => {
    const col = p.column;
    const t = col?.table ? findTable(schema, col.table) : undefined;
    if (!col || !t || p.negated || (p.kind !== 'equality' && p.kind !== 'in' && p.kind !== 'range')) return false;
    return p.wrapped ? expressionIndexed(p, schema, dialect) : anyUsableIndex(t, [{ column: col.name, expression: null }]);
  };
  return branches.every((br) => preds.some((p) => p.expr.range.start >= br.range.start && p.expr.range.end <= br.range.end && indexed(p)));
}

export default defineRule({
  name: 'no-or-across-columns',
  category: 'performance',
  severity: 'warn',
  constructs: ['or'],
  // measured on 9 real applications (docs/precision.md): 0 of 6;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow OR conditions whose branches restrict different columns',
  messages: {
    across: 'OR across {{columns}}: no single index serves {{branches}}, so the planner often scans {{table}}; index each branch\'s columns (PostgreSQL can combine the indexes with a BitmapOr) or split the query into a UNION of one indexed query per branch',
  },
  docs: {
    why: 'An index on (a) cannot find rows where b matches, so `a = 1 OR b = 2` usually becomes a full scan (or, at best, a bitmap OR of two indexes that must both exist). Splitting the query into a UNION ALL of two index-friendly queries lets each branch use its own index. Not reported: ORs over one column (`s IN (...) OR (s = \'x\' AND ...)`, `col IS NULL OR col < $1`), keyset cursors (`a > $1 OR (a = $1 AND id > $2)`: every branch restricts `a`), optional filters (`$1 IS NULL OR a = $1`) and branches no B-tree index could serve anyway: function calls (privilege checks like `has_access(...) OR is_admin(...)`) and pattern matches without a fixed prefix (`name ILIKE $1 OR description ILIKE $1`, a search box; a trigram index is the fix there) and pg_trgm\'s similarity operators (`$1 %> name OR $1 %> merchant_name`), existence tests (`a.id IS NOT NULL OR b.id IS NOT NULL` over LEFT JOINs) and columns of CTEs and derived tables. Nor an OR beside a lookup by key (`tenant_id = $1 AND (a = 1 OR b = 2)`, or a join key of the OR\'s table: `LEFT JOIN grants g ON g.doc_id = d.id AND (g.user_id = $1 OR g.group_id = $2)`): the index on the key finds the rows and the OR only filters them. With a schema, nor an OR whose every branch has an index that finds its rows (`lower(slug) = $1 OR lower(custom_domain) = $1` with an index on each expression): the planner combines the indexes.',
    bad: 'SELECT id FROM users WHERE email = $1 OR phone = $2',
    good: 'SELECT id FROM users WHERE email = $1 UNION ALL SELECT id FROM users WHERE phone = $2 AND email <> $1',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      const conditions = [b.where, ...b.joins.map((j) => j.on)];
      for (const cond of conditions) {
        for (const { branches, siblings } of orChains(cond)) {
          const sets = branches.map(columnKeys);
          // a branch without columns of this query (`$1 IS NULL OR a = $1`) is an optional filter, not a second column
          if (sets.some((s) => s.size === 0)) continue;
          const all = new Map<string, string>();
          sets.forEach((s) => s.forEach((v, k) => all.set(k, v)));
          if (sets.every((s) => s.size === all.size)) continue;
          // a column every branch restricts (`a > $1 OR (a = $1 AND id > $2)`, `s IN (..) OR (s = 'x' AND ..)`): one index serves all
          const kept = branches.map(restricted);
          if ([...kept[0]!].some((k) => kept.every((s) => s.has(k)))) continue;
          // a branch of function calls (a privilege check) or a free pattern (a search) needs a scan whatever the others do
          if (branches.some(unindexable)) continue;
          // the columns of a CTE or derived table have no index to choose between
          if (branches.some((br) => localColumns(br).every((c) => !isTableColumn(b, c)))) continue;
          // beside a lookup by key (`tenant_id = $1 AND (a OR b)`, a join key) the OR only filters the rows found
          if (siblings.some((x) => lookupKey(b, x) || joinKey(b, x, branches))) continue;
          if (everyBranchIndexed(branches, ctx.predicates(b), ctx.schema, ctx.dialect)) continue;
          const or = cond ? findOr(cond, branches[0]!) : undefined;
          const tables = [...new Set(branches.flatMap((br) => localColumns(br).map((c) => c.table ?? null)))];
          const table = tables.length === 1 && tables[0] && !/^__sqlperf_/i.test(tables[0]) ? tables[0] : 'the table';
          ctx.report({ range: or ?? branches[0]!.range, messageId: 'across', data: { columns: [...all.values()].join(', '), branches: branches.length === 2 ? 'both branches' : `all ${branches.length} branches`, table } });
        }
      }
    }
  },
});

/** The OR keyword right after the first branch (the first such OR in pre-order; iterative, for long chains). */
function findOr(root: Expr, first: Expr): Range | undefined {
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.type !== 'binary') continue;
    if (e.op === 'OR' && e.left.range.end === first.range.end && firstDisjunct(e.left) === first) return e.opRange;
    stack.push(e.right, e.left);
  }
  return undefined;
}
