import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import type { Expr } from '../src/model/types.js';
import { unwrapCast, walkExpr } from '../src/model/walk.js';

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

export default defineRule<{ max: number }>({
  name: 'no-offset-pagination',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow OFFSET pagination with a variable or large offset; use keyset pagination',
  messages: {
    variable: 'OFFSET {{offset}} grows with the page number: every page reads and throws away all the rows before it; paginate by key instead: WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT n',
    large: 'OFFSET {{offset}} reads and throws away {{offset}} rows before returning any (max {{max}}); paginate by key instead: WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT n',
  },
  docs: {
    why: 'The database cannot jump to the n-th row of a result: `OFFSET 100000` produces and discards 100,000 rows first, so each page is slower than the one before and deep pages time out. Rows inserted or deleted between two requests also shift the pages, so users see duplicates or miss rows. Keyset (seek) pagination remembers the sort key of the last row shown and asks for the rows after it, which an index on the sort columns serves directly at any depth.',
    bad: 'SELECT id, title FROM posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $1',
    good: 'SELECT id, title FROM posts WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20',
  },
  defaultOptions: { max: 1000 },
  schema: { type: 'object', properties: { max: { type: 'integer', minimum: 0, description: 'Largest constant OFFSET allowed' } }, additionalProperties: false },
  check(ctx) {
    const max = ctx.options.max;
    for (const b of ctx.blocks) {
      if (!b.offset) continue;
      const range = balanced(ctx.text, b.offset.range);
      const offset = ctx.source(range).replace(/\s+/g, ' ');
      const value = constantValue(b.offset);
      if (value !== undefined) {
        if (value > max) ctx.report({ range, messageId: 'large', data: { offset, max } });
      } else if (isVariable(b.offset)) ctx.report({ range, messageId: 'variable', data: { offset } });
    }
  },
});
