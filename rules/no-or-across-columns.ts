import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import { flattenOr } from '../src/cost.js';
import { localColumns } from '../src/model/predicates.js';
import type { ColumnExpr, Expr } from '../src/model/types.js';
import { conjuncts, unwrapCast } from '../src/model/walk.js';

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

const PATTERN_OPS = new Set(['LIKE', 'ILIKE', '~~', '~~*', 'SIMILAR TO', '~', '~*', 'REGEXP', 'RLIKE', 'GLOB']);

/** A pattern that certainly starts with fixed text (`'abc%'`): a B-tree index can serve its prefix. */
function fixedPrefix(p: Expr): boolean {
  const v = unwrapCast(p);
  return v.type === 'literal' && v.kind === 'string' && !/^[%_]/.test(String(v.value));
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
    return x.type === 'binary' && PATTERN_OPS.has(x.op) && !fixedPrefix(x.right);
  });
}

/** The OR chains of a condition, not descending into other ORs' branches' own chains twice. */
function orChains(e: Expr | null, out: Expr[][] = []): Expr[][] {
  if (!e || e.type !== 'binary') return out;
  if (e.op === 'AND') {
    orChains(e.left, out);
    orChains(e.right, out);
  } else if (e.op === 'OR') {
    const branches = flattenOr(e);
    out.push(branches);
    for (const br of branches) orChains(br, out);
  }
  return out;
}

export default defineRule({
  name: 'no-or-across-columns',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow OR conditions whose branches restrict different columns',
  messages: {
    across: 'OR across {{columns}}: no single index serves {{branches}}, so the planner often scans {{table}}; index each branch\'s columns (PostgreSQL can combine the indexes with a BitmapOr) or split the query into a UNION of one indexed query per branch',
  },
  docs: {
    why: 'An index on (a) cannot find rows where b matches, so `a = 1 OR b = 2` usually becomes a full scan (or, at best, a bitmap OR of two indexes that must both exist). Splitting the query into a UNION ALL of two index-friendly queries lets each branch use its own index. Not reported: ORs over one column (`s IN (...) OR (s = \'x\' AND ...)`, `col IS NULL OR col < $1`), keyset cursors (`a > $1 OR (a = $1 AND id > $2)`: every branch restricts `a`), optional filters (`$1 IS NULL OR a = $1`) and branches no B-tree index could serve anyway: function calls (privilege checks like `has_access(...) OR is_admin(...)`) and pattern matches without a fixed prefix (`name ILIKE $1 OR description ILIKE $1`, a search box; a trigram index is the fix there).',
    bad: 'SELECT id FROM users WHERE email = $1 OR phone = $2',
    good: 'SELECT id FROM users WHERE email = $1 UNION ALL SELECT id FROM users WHERE phone = $2 AND email <> $1',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      const conditions = [b.where, ...b.joins.map((j) => j.on)];
      for (const cond of conditions) {
        for (const branches of orChains(cond)) {
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
          const or = cond ? findOr(cond, branches[0]!) : undefined;
          const tables = [...new Set(branches.flatMap((br) => localColumns(br).map((c) => c.table ?? null)))];
          const table = tables.length === 1 && tables[0] && !/^__sqlperf_/i.test(tables[0]) ? tables[0] : 'the table';
          ctx.report({ range: or ?? branches[0]!.range, messageId: 'across', data: { columns: [...all.values()].join(', '), branches: branches.length === 2 ? 'both branches' : `all ${branches.length} branches`, table } });
        }
      }
    }
  },
});

/** The OR keyword right after the first branch. */
function findOr(root: Expr, first: Expr): Range | undefined {
  let found: Range | undefined;
  const visit = (e: Expr) => {
    if (found || e.type !== 'binary') return;
    if (e.op === 'OR' && (e.left === first || flattenOr(e.left)[0] === first) && e.left.range.end === first.range.end) found = e.opRange;
    visit(e.left);
    visit(e.right);
  };
  visit(root);
  return found;
}
