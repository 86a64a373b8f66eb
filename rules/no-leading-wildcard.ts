import { defineRule } from '../src/rule.js';
import type { Expr } from '../src/model/types.js';
import { unwrapCast } from '../src/model/walk.js';

/** The literal that makes a pattern start with a wildcard: `'%x'`, `'%' || $1`, `CONCAT('%', ?)`. */
export function leadingWildcard(p: Expr | null): Expr | undefined {
  if (!p) return undefined;
  const v = unwrapCast(p);
  if (v.type === 'literal' && v.kind === 'string') return /^[%_]/.test(String(v.value)) ? v : undefined;
  if (v.type === 'binary' && (v.op === '||' || v.op === '+')) return leadingWildcard(v.left);
  if (v.type === 'func' && (v.name === 'concat' || v.name === 'concat_ws') && v.args.length) return leadingWildcard(v.name === 'concat_ws' ? v.args[1] ?? null : v.args[0]!);
  return undefined;
}

export default defineRule({
  name: 'no-leading-wildcard',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow LIKE patterns that start with a wildcard in filters',
  messages: {
    leading: "{{op}} pattern {{pattern}} starts with a wildcard, so an index on {{column}} cannot be used and every row is scanned",
  },
  docs: {
    why: 'A B-tree index is ordered by prefix: it can find `abc%` but not `%abc`. A pattern that starts with `%` or `_` reads every row. For substring search use a trigram index (PostgreSQL `pg_trgm` with GIN) or full-text search; for suffixes, index the reversed value.',
    bad: "SELECT id FROM users WHERE email LIKE '%@example.com'",
    good: "SELECT id FROM users WHERE email_domain = 'example.com'",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      for (const p of ctx.predicates(b)) {
        if (p.kind !== 'like' || !p.column) continue;
        const lit = leadingWildcard(p.value);
        if (!lit) continue;
        const column = ctx.source(p.wrapped?.range ?? p.column.range);
        ctx.report({ range: lit.range, messageId: 'leading', data: { op: p.op, pattern: ctx.source(p.value!.range), column } });
      }
    }
  },
});
