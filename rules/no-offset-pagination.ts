import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import type { Expr, QueryBlock } from '../src/model/types.js';
import { hasAggregate, unwrapCast, walkExpr } from '../src/model/walk.js';
import { blockRows } from '../src/model/rows.js';
import { predicatesOf } from '../src/model/predicates.js';
import { findTable, sameName } from '../src/schema/load.js';
import type { Schema } from '../src/schema/types.js';

/** The value of a constant OFFSET (`5000`, `(3 - 1) * 20`); undefined when it is not a plain number. */
function constantValue(e: Expr): number | undefined {
  const v = unwrapCast(e);
  if (v.type === 'literal') return v.kind === 'number' && typeof v.value === 'number' ? v.value : undefined;
  if (v.type === 'unary' && v.op === '-') {
    const x = constantValue(v.arg);
    return x === undefined ? undefined : -x;
  }
  if (v.type === 'binary' && ['+', '-', '*', '/'].includes(v.op)) {
    const a = constantValue(v.left);
    const b = constantValue(v.right);
    if (a === undefined || b === undefined) return undefined;
    return v.op === '+' ? a + b : v.op === '-' ? a - b : v.op === '*' ? a * b : b === 0 ? undefined : a / b;
  }
  return undefined;
}

/** The OFFSET depends on something the caller passes (a parameter, a template hole, a column). */
function isVariable(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'param' || x.type === 'column' || x.type === 'subquery') found = true;
    return !found;
  });
  return found;
}

/** Grows a range whose text closes brackets it does not open (`3 - 1) * 20`) back to the opening bracket. */
function balanced(text: string, r: Range): Range {
  let depth = 0;
  let missing = 0;
  for (const ch of text.slice(r.start, r.end)) {
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) missing++;
      else depth--;
    }
  }
  let start = r.start;
  while (missing > 0) {
    let i = start - 1;
    while (i >= 0 && /\s/.test(text[i]!)) i--;
    if (text[i] !== '(') break;
    start = i;
    missing--;
  }
  return { start, end: r.end };
}

/** The block ranks groups by an aggregate (`GROUP BY ... ORDER BY count(*) DESC`): there is no key to seek to. */
function ranksAggregates(b: QueryBlock): boolean {
  const aggregateAliases = new Set(b.selectItems.filter((s) => s.alias && hasAggregate(s.expr)).map((s) => s.alias!.toLowerCase()));
  return b.orderBy.some((o) => {
    if (hasAggregate(o.expr)) return true;
    const e = unwrapCast(o.expr);
    if (e.type === 'column' && e.qualifier === null && aggregateAliases.has(e.name.toLowerCase())) return true;
    // ORDER BY 2, the position of an aggregate in the select list
    if (e.type === 'literal' && typeof e.value === 'number') return hasAggregate(b.selectItems[e.value - 1]?.expr ?? null);
    return false;
  });
}

const PLACEHOLDER = /__sqlperf_/i;

/**
 * The keyset rewrite of this query, from its own ORDER BY: `WHERE (created_at, id) < ($last_created_at,
 * $last_id) ORDER BY created_at DESC, id DESC LIMIT 20`. Adds `id` as the last key when no sort key
 * is unique and the table has one. Generic advice when the sort keys are not plain columns.
 */
function keyset(b: QueryBlock, source: (e: Expr) => string, schema: Schema | undefined): string {
  const limit = b.limit && unwrapCast(b.limit).type === 'literal' ? ` LIMIT ${source(b.limit)}` : ' LIMIT n';
  const keys: Array<{ text: string; name: string; desc: boolean }> = [];
  // leading sort columns the WHERE fixes by equality are constant: the seek starts after them
  const fixed = (e: Expr) =>
    e.type === 'column' &&
    predicatesOf(b).some((p) => p.clause !== 'having' && p.kind === 'equality' && !p.underOr && !p.negated && !p.wrapped && p.column !== null && p.valueKind !== 'column' && sameName(p.column.name, e.name) && (p.column.qualifier ?? '') === (e.qualifier ?? ''));
  let order = b.orderBy;
  while (order.length > 1 && fixed(unwrapCast(order[0]!.expr))) order = order.slice(1);
  for (const o of order) {
    const e = unwrapCast(o.expr);
    if (e.type !== 'column' || e.name === '*' || PLACEHOLDER.test(source(o.expr))) {
      return `remember the sort key of the last row shown and ask for the rows after it (WHERE <sort key> ${o.direction === 'desc' ? '<' : '>'} <last value> ... ORDER BY ...${limit}), with an index on the sort key`;
    }
    keys.push({ text: source(e), name: e.name.replace(/\W+/g, '_'), desc: o.direction === 'desc' });
  }
  const sources = [...b.from].filter((t) => t.kind === 'table' && !t.hole);
  const only = sources.length === 1 && b.from.length === 1 ? sources[0]! : undefined;
  if (!keys.length) {
    // an alias that is a filled-in hole (`FROM posts ${orderBy}`) is no name to write in advice
    const q = only?.alias && !PLACEHOLDER.test(only.alias) ? `${only.alias}.` : '';
    return `order by a unique key and ask for the rows after the last one shown: WHERE ${q}id > $last_id ORDER BY ${q}id${limit}`;
  }
  // the sort must be unique, or rows with equal keys are skipped or repeated between pages
  if (only && !keys.some((k) => sameName(k.name, 'id'))) {
    const st = schema && only.name ? findTable(schema, only.name, only.schema) : undefined;
    const unique = st?.indexes.some((i) => i.unique && i.where === null && i.keys.every((k) => k.column !== null && keys.some((x) => sameName(x.name, k.column!))));
    const hasId = !st || !st.columnsKnown || st.columns.some((c) => sameName(c.name, 'id'));
    if (!unique && hasId) {
      const first = unwrapCast(order[0]!.expr);
      const q = first.type === 'column' && first.qualifier ? `${first.qualifier}.` : '';
      keys.push({ text: `${q}id`, name: 'id', desc: keys[keys.length - 1]!.desc });
    }
  }
  const orderBy = `ORDER BY ${keys.map((k) => (k.desc ? `${k.text} DESC` : k.text)).join(', ')}${limit}`;
  const op = (k: { desc: boolean }) => (k.desc ? '<' : '>');
  const param = (k: { name: string }) => `$last_${k.name}`;
  if (keys.length === 1) return `WHERE ${keys[0]!.text} ${op(keys[0]!)} ${param(keys[0]!)} ${orderBy}`;
  if (keys.every((k) => k.desc === keys[0]!.desc)) return `WHERE (${keys.map((k) => k.text).join(', ')}) ${op(keys[0]!)} (${keys.map(param).join(', ')}) ${orderBy}`;
  // mixed directions: a row comparison cannot express it
  const branches = keys.map((k, i) => [...keys.slice(0, i).map((x) => `${x.text} = ${param(x)}`), `${k.text} ${op(k)} ${param(k)}`].join(' AND '));
  return `WHERE ${branches.map((x, i) => (i === 0 ? x : `(${x})`)).join(' OR ')} ${orderBy}`;
}

export default defineRule({
  name: 'no-offset-pagination',
  category: 'performance',
  severity: 'warn',
  constructs: ['offset'],
  // measured on 9 real applications (docs/precision.md): 1 of 10: one parent's small lists;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow OFFSET pagination with a variable or large offset; use keyset pagination',
  messages: {
    variable: 'OFFSET {{offset}} grows with the page number: every page reads and throws away all the rows before it; paginate by key instead: {{keyset}}',
    large: 'OFFSET {{offset}} reads and throws away {{offset}} rows before returning any (max {{max}}); paginate by key instead: {{keyset}}',
  },
  docs: {
    why: 'The database cannot jump to the n-th row of a result: `OFFSET 100000` produces and discards 100,000 rows first, so each page is slower than the one before and deep pages time out. Rows inserted or deleted between two requests also shift the pages, so users see duplicates or miss rows. Keyset (seek) pagination remembers the sort key of the last row shown and asks for the rows after it, which an index on the sort columns serves directly at any depth. The message builds that rewrite from the query\'s own ORDER BY. Not reported: rankings of aggregates (`GROUP BY ... ORDER BY count(*) DESC`, which have no key to seek to), OFFSET over a small set (the elements of an array, a VALUES list, a table the config says is small, one parent\'s children when an equality on the parent key pins the rows of a small table, a block that reads few rows by its keys) and OFFSET inside a subquery of an expression (`ARRAY(SELECT ... OFFSET 1)`, picking the n-th element), which are not page navigation. The keyset advice never starts with a sort column the WHERE already fixes by equality (`WHERE user_id = $1 ORDER BY user_id, created_at` seeks on `created_at`).',
    bad: 'SELECT id, title FROM posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $1',
    good: 'SELECT id, title FROM posts WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20',
  },
  defaultOptions: { max: 1000 },
  schema: { type: 'object', properties: { max: { type: 'integer', minimum: 0, description: 'Largest constant OFFSET allowed' } }, additionalProperties: false },
  check(ctx) {
    const max = ctx.options.max;
    for (const b of ctx.blocks) {
      if (!b.offset) continue;
      // the n-th element of a nested list (a scalar, ARRAY, IN or EXISTS subquery) is not page navigation
      if (b.context === 'scalar' || b.context === 'other' || b.context === 'in' || b.context === 'any' || b.context === 'exists') continue;
      if (ranksAggregates(b)) continue;
      // a small set (array elements, VALUES, a small table) costs nothing to skip through
      if (blockRows(b, ctx.schema).beforeLimit !== 'many') continue;
      const range = balanced(ctx.text, b.offset.range);
      const offset = ctx.source(range).replace(/\s+/g, ' ');
      const value = constantValue(b.offset);
      const advice = () => keyset(b, (e) => ctx.source(e.range), ctx.schema);
      if (value !== undefined) {
        if (value > max) ctx.report({ range, messageId: 'large', data: { offset, max, keyset: advice() } });
      } else if (isVariable(b.offset)) ctx.report({ range, messageId: 'variable', data: { offset, keyset: advice() } });
    }
  },
});
