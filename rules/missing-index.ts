import { defineRule } from '../src/rule.js';
import { conjuncts } from '../src/model/walk.js';
import { suggestIndexes, type IndexSuggestion } from '../src/indexes.js';
import { anyUsableIndex, isSmall, needOf, statementConjuncts, suggestionTable } from '../src/schema/match.js';

export default defineRule({
  name: 'missing-index',
  category: 'performance',
  severity: 'warn',
  constructs: ['schema'],
  // measured on 9 real applications (docs/precision.md): 0 of 16: flags that match most rows, sweeps that read everything by design;
  // on request until it holds at 70% or more
  recommended: false,
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
    // a contains-search's trigram or FULLTEXT index is no-leading-wildcard's remedy, not a missing index
    const list = suggestIndexes(ctx.statement, ctx.text, ctx.dialect).filter((s) => s.kind !== 'trigram' && s.kind !== 'fulltext');
    // the query block each suggestion comes from (the innermost one around its first predicate; a CTE
    // body or a set operation's branch has its parent's depth, so the shorter range decides)
    const blockOf = (s: IndexSuggestion) => {
      const at = s.ranges[0]?.start ?? ctx.statement.range.start;
      const size = (b: { range: { start: number; end: number } }) => b.range.end - b.range.start;
      return ctx.blocks.filter((b) => b.range.start <= at && at < b.range.end).sort((a, b) => b.depth - a.depth || size(a) - size(b))[0];
    };
    // the leading access path of a block on a table: its equalities (column or expression), else its range and sort
    const served = new Map<string, boolean>();
    const groupKey = (s: IndexSuggestion) => `${s.schema ?? ''}.${s.table}@${blockOf(s)?.range.start ?? -1}`;
    for (const s of list) {
      const t = suggestionTable(schema, s);
      if (!t) continue;
      const key = groupKey(s);
      if (served.has(key)) continue;
      const group = list.filter((o) => groupKey(o) === key);
      const needs = group.map(needOf);
      const eqs = needs.filter((n) => n.method !== 'gin').flatMap((n) => n.eq);
      conj ??= statementConjuncts(ctx.statement, ctx.text);
      const leading = eqs.length ? eqs : needs.flatMap((n) => [...n.sort.slice(0, 1), ...(n.range ? [n.range] : [])]);
      // a residual predicate after an indexed prefix is not a missing index: the index narrows to few rows first
      served.set(key, leading.length > 0 && anyUsableIndex(t, leading, conj));
    }
    // one finding per table and block: its leading access path (a B-tree on columns or an expression before a GIN), not each residual predicate
    const ranked = [...list].sort((a, b) => Number(a.kind === 'gin') - Number(b.kind === 'gin'));
    const reported = new Set<string>();
    for (const s of ranked) {
      const t = suggestionTable(schema, s);
      if (!t || isSmall(t)) continue;
      if (served.get(groupKey(s)) || reported.has(groupKey(s))) continue;
      const need = needOf(s);
      if (!need.eq.length && !need.range) {
        // a sort alone: an index helps only when the query stops early, and when the code fills in no
        // condition (`WHERE ${where.join(' AND ')}`, a bare value as a conjunct): the filter it builds decides the index
        const block = ctx.blocks.find((b) => b.orderBy.some((o) => o.range.start === s.ranges[0]?.start));
        if (!block?.limit || conjuncts(block.where).some((c) => c.type === 'param')) continue;
      }
      // conj is set: the loop above reached every suggestion on a known table
      if (anyUsableIndex(t, [...need.eq, ...need.sort.slice(0, 1), ...(need.range ? [need.range] : [])], conj, need.method)) continue;
      const range = s.ranges[0] ?? ctx.statement.range;
      reported.add(groupKey(s));
      ctx.report({ range, messageId: 'missing', data: { table: t.name, columns: s.columns.join(', '), statement: s.statement } });
    }
  },
});
