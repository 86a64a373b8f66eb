import { defineRule } from '../src/rule.js';
import { suggestIndexes } from '../src/indexes.js';
import { anyUsableIndex, isSmall, needOf, statementConjuncts, suggestionTable } from '../src/schema/match.js';

export default defineRule({
  name: 'missing-index',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow WHERE, JOIN and ORDER BY that no existing index can serve (needs a schema)',
  messages: {
    missing: 'no index on {{table}} can serve {{columns}}; add one: {{statement}}',
  },
  docs: {
    why: 'Without an index that starts with a filtered, joined or sorted column, the database reads every row of the table (and sorts them) for each execution; the cost grows with the table. Only runs when sqlperf knows the schema, so existing indexes, primary and unique keys are taken into account with the leftmost-prefix rule. Tables known to be small (`tables` sizes) are left alone.',
    bad: 'SELECT id FROM orders WHERE customer_id = $1',
    good: 'SELECT id FROM orders WHERE id = $1',
    schema: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);',
  },
  check(ctx) {
    const schema = ctx.schema;
    if (!schema) return;
    let conj: Set<string> | undefined;
    for (const s of suggestIndexes(ctx.statement, ctx.text, ctx.dialect)) {
      const t = suggestionTable(schema, s);
      if (!t || isSmall(t)) continue;
      const need = needOf(s);
      if (!need.eq.length && !need.range) {
        // a sort alone: an index helps only when the query stops early
        const block = ctx.blocks.find((b) => b.orderBy.some((o) => o.range.start === s.ranges[0]?.start));
        if (!block?.limit) continue;
      }
      conj ??= statementConjuncts(ctx.statement, ctx.text);
      if (anyUsableIndex(t, [...need.eq, ...need.sort.slice(0, 1), ...(need.range ? [need.range] : [])], conj, need.method)) continue;
      const range = s.ranges[0] ?? ctx.statement.range;
      ctx.report({ range, messageId: 'missing', data: { table: t.name, columns: s.columns.join(', '), statement: s.statement } });
    }
  },
});
