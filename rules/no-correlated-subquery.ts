import { defineRule } from '../src/rule.js';
import { rowsOf, rowsRead } from '../src/model/rows.js';
import type { QueryBlock } from '../src/model/types.js';

export default defineRule({
  name: 'no-correlated-subquery',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow correlated subqueries in the select list and WHERE (EXISTS excepted)',
  messages: {
    scalar: 'This subquery references {{refs}} of the outer query, so it runs once per outer row; compute it once with a JOIN (GROUP BY in a derived table), a LATERAL join, or a window function',
    in: 'This IN/ANY subquery references {{refs}} of the outer query, so it is evaluated again for every outer row; write it as EXISTS (SELECT 1 ... WHERE ...) or a JOIN',
  },
  docs: {
    why: 'A subquery that uses a column of the outer query cannot be computed once: the database evaluates it again for each outer row (PostgreSQL runs it as a SubPlan, MySQL as a dependent subquery). With many outer rows this is an N+1 query inside the database. Aggregate once per key in a derived table and JOIN it, use LATERAL when you need the top rows per key, or a window function when the value comes from the same table. A correlated EXISTS / NOT EXISTS is not reported: planners turn it into a semi- or anti-join. Nor is a subquery whose outer query has one row (a lookup by primary or unique key, `id` without a schema, LIMIT 1): it runs once; nor one in the select list of a query that returns a bounded page (a LIMIT up to 1000, a table the config says is small): it runs once per row shown (PostgreSQL evaluates it after the sort and the LIMIT).',
    bad: 'SELECT u.id, (SELECT count(*) FROM orders o WHERE o.user_id = u.id) AS orders FROM users u',
    good: 'SELECT u.id, coalesce(o.n, 0) AS orders FROM users u LEFT JOIN (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id) o ON o.user_id = u.id',
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
      const refs = [...new Set(b.outerRefs.map((c) => ctx.source(c.range)))].join(', ');
      ctx.report({ range: b.range, messageId: b.context === 'scalar' ? 'scalar' : 'in', data: { refs } });
    }
  },
});
