import { defineRule } from '../src/rule.js';
import { leadingWildcard, localColumns, type Predicate } from '../src/model/predicates.js';
import type { Expr, QueryBlock } from '../src/model/types.js';
import { walkExpr } from '../src/model/walk.js';
import { isSystemRelation, keyEqualityOn, predicateRelation } from '../src/model/relations.js';
import { sameName } from '../src/schema/load.js';
import { expressionIndexed } from '../src/schema/match.js';
import type { Schema } from '../src/schema/types.js';

/** Arithmetic and concatenation: `price * 1.2`, `col + 0`, `first || last`. */
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||', 'DIV', 'MOD']);

/**
 * The wrappers this rule speaks about: a function call, a cast, arithmetic. Operators such as
 * JSON access (`data->>'k'`) or array subscripts are left alone: they are the normal way to reach
 * into those types and are served by other index kinds (GIN), so flagging them would be noise.
 */
function isWrapper(e: Expr): boolean {
  if (e.type === 'func') return !e.aggregate && !e.window;
  if (e.type === 'cast') return true;
  if (e.type === 'binary') return ARITHMETIC.has(e.op);
  return false;
}

/**
 * `batch_id % $1 = $2`, the way work is shared among N workers: no index on the column serves a
 * remainder, no rewrite moves it to the value side, and with the divisor a parameter no expression
 * index can match it either. Nothing to advise. (`batch_id % 4 = 1` can get an expression index.)
 */
function remainderByParameter(e: Expr): boolean {
  const divisors = e.type === 'binary' && (e.op === '%' || e.op === 'MOD') ? [e.right] : e.type === 'func' && e.name === 'mod' ? e.args.slice(1) : [];
  return holdsParameter(divisors);
}

/** A parameter somewhere in the expressions: a value that changes per query, which no expression index can match. */
function holdsParameter(exprs: readonly Expr[]): boolean {
  let param = false;
  for (const d of exprs) walkExpr(d, (x) => void (param ||= x.type === 'param'));
  return param;
}

/**
 * `word_similarity($1, name) > 0.3`, `levenshtein(name, $1) < 3`: a score of the column against a
 * value. No index on the column and no expression index serves it (the value changes per query);
 * pg_trgm serves the search through its operators (`%`, `<%`) and a trigram index. Nothing to advise here.
 */
const SCORES = new Set(['similarity', 'word_similarity', 'strict_word_similarity', 'levenshtein', 'levenshtein_less_equal', 'difference']);
function scoreAgainstValue(e: Expr): boolean {
  return e.type === 'func' && SCORES.has(e.name.toLowerCase());
}

/**
 * `position($1 in lower(name)) > 0`, `strpos(name, $1) > 0`, `LOCATE(?, name)`: a substring search
 * for a value that changes per query. No rewrite moves it to the value side and no expression index
 * can match it: it is a contains search, as `LIKE '%x%'` is, which a trigram index serves. Nothing to
 * advise. (`position('@' in email) > 0`, a fixed needle, can get an expression index.)
 */
const SUBSTRING_SEARCHES = new Set(['position', 'strpos', 'instr', 'locate', 'charindex']);
function searchForParameter(e: Expr): boolean {
  return e.type === 'func' && SUBSTRING_SEARCHES.has(e.name.toLowerCase().replace(/^.*\./, '')) && holdsParameter(e.args);
}

/** The column belongs to a real table of this block, where an index could exist. */
function onRealTable(p: Predicate, b: QueryBlock): boolean {
  const c = p.column!;
  if (c.scope !== b) return false;
  if (c.table) return true;
  if (c.qualifier !== null) return false; // resolved to a CTE, derived table or function: no index there
  const sources = [...(b.target ? [b.target] : []), ...b.from];
  return sources.length > 0 && sources.every((t) => t.kind === 'table' && !t.hole);
}

/**
 * The wrapped predicate only filters rows found another way, so an index on its column would not
 * be used anyway: another sargable equality of the same WHERE / ON restricts the same table through
 * an index or key (`tenant_id = $1 AND lower(name) = $2`), or the same column has a sargable range
 * bound too (`date(created_at) = $1 AND created_at >= $2`).
 */
function residual(p: Predicate, preds: Predicate[], ctx: { schema?: Schema }): boolean {
  const rel = predicateRelation(p, ctx.schema);
  if (rel && keyEqualityOn(rel, p.block, preds, p, ctx.schema, { anyParam: true })) return true;
  return preds.some(
    (q) =>
      q !== p &&
      q.clause !== 'having' &&
      !q.underOr &&
      !q.negated &&
      q.sargable &&
      !q.wrapped &&
      q.kind === 'range' &&
      !!q.column &&
      q.column.scope === p.block &&
      sameName(q.column.name, p.column!.name) &&
      predicateRelation(q, ctx.schema) === rel,
  );
}

export default defineRule({
  name: 'no-function-on-column',
  category: 'performance',
  severity: 'warn',
  constructs: ['computedOperand'],
  recommended: true,
  description: 'Disallow functions, casts and arithmetic on a column in WHERE and JOIN conditions',
  messages: {
    wrapped: '{{expr}} wraps the column {{column}}, so an index on {{column}} cannot be used; compare the bare column (move the computation to the value side) or add an expression index on {{expr}}',
  },
  docs: {
    why: 'An index on a column stores the column\'s values, not the values of an expression over it: `lower(email) = $1`, `DATE(created_at) = $1`, `price * 1.2 > 100` or `CAST(id AS text) = $1` cannot use an index on the column, so every row is read and the expression computed for each. Rewrite the condition so that the bare column is compared (`created_at >= $1 AND created_at < $1 + interval \'1 day\'`, `price > 100 / 1.2`), or create an expression index that matches the expression exactly. Not reported for ILIKE, which no B-tree index serves (a trigram index does), nor when the wrapped condition is only a residual filter: another sargable equality in the same WHERE / ON restricts the same table through an index or key (with a schema, an index must start with that column; without one, an equality on `id` / `*_id` or with a parameter counts), as in `tenant_id = $1 AND lower(name) = $2`, or the same column also has a sargable range bound (`date(created_at) = $1 AND created_at >= $2`). Also not reported on system catalogs and statistics views (`pg_catalog`, `pg_*`, `information_schema`, `sqlite_master`, MySQL\'s system schemas), which are small and cannot be indexed by the application, nor on a remainder by a parameter (`batch_id % $1 = $2`, work shared among workers), which neither a rewrite nor an expression index can serve, nor on a similarity score against a value (`word_similarity($1, name) > 0.3`, `levenshtein(name, $1) < 3`), which pg_trgm serves through its operators (`<%`, `%`) and a trigram index, nor on a substring search for a value (`position($1 in lower(name)) > 0`, `strpos(name, $1)`, `LOCATE(?, name)`, `CHARINDEX(@p, name)`), a contains search that no rewrite or expression index serves (a trigram index does, as for `LIKE \'%x%\'`). With a schema, not reported when an index starts with the exact expression (`CREATE INDEX ON users (lower(email))` serves `lower(email) = $1`).',
    bad: "SELECT id FROM orders WHERE DATE(created_at) = '2024-05-01'",
    good: "SELECT id FROM orders WHERE created_at >= '2024-05-01' AND created_at < '2024-05-02'",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      for (const p of ctx.predicates(b)) {
        if (p.clause === 'having' || !p.wrapped || !p.column || p.negated) continue;
        if (!isWrapper(p.wrapped) || remainderByParameter(p.wrapped) || scoreAgainstValue(p.wrapped) || searchForParameter(p.wrapped)) continue;
        // an index could serve the predicate on the bare column: equality, range, IN, a prefix LIKE
        if (p.kind !== 'equality' && p.kind !== 'range' && p.kind !== 'in' && p.kind !== 'like') continue;
        if (p.kind === 'like' && leadingWildcard(p.value)) continue; // no-leading-wildcard says why
        // no B-tree index, on an expression or not, serves ILIKE: the advice would not help
        if (p.kind === 'like' && /^(?:NOT )?ILIKE$|^!?~~\*$/i.test(p.op)) continue;
        // `date(a.ts) = b.day`: an index on the other side's column can still serve the join
        if (p.value && localColumns(p.value).length > 0) continue;
        if (!onRealTable(p, b)) continue;
        if (isSystemRelation(predicateRelation(p, ctx.schema))) continue;
        if (residual(p, ctx.predicates(b), ctx)) continue;
        // the schema already has the expression index the message would advise
        if (ctx.schema && expressionIndexed(p, ctx.schema, ctx.dialect)) continue;
        const expr = ctx.source(p.wrapped.range).replace(/\s+/g, ' ');
        ctx.report({ range: p.wrapped.range, messageId: 'wrapped', data: { expr, column: ctx.source(p.column.range) } });
      }
    }
  },
});
