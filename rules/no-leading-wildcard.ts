import { defineRule } from '../src/rule.js';
import { leadingWildcard } from '../src/model/predicates.js';

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
