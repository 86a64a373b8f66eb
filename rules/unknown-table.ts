import { defineRule } from '../src/rule.js';
import { findTable } from '../src/schema/load.js';
import { didYouMean, hint, nameRangeIn, SYSTEM_SCHEMAS, SYSTEM_TABLES } from '../src/schema/names.js';
import { HOLE_IDENT } from '../src/model/block.js';

export default defineRule({
  name: 'unknown-table',
  category: 'correctness',
  severity: 'error',
  recommended: true,
  description: 'Disallow tables that the schema does not have (needs a schema)',
  messages: {
    unknown: 'table {{name}} is not in the schema{{hint}}',
  },
  docs: {
    why: 'A table name that is not in the schema is a typo or a stale query: it fails at run time, often on a code path that tests do not reach. Only runs when sqlperf knows the schema (migrations or a schema dump).',
    bad: 'SELECT id FROM ordres WHERE id = $1',
    good: 'SELECT id FROM orders WHERE id = $1',
    schema: 'CREATE TABLE orders (id bigint PRIMARY KEY);',
  },
  check(ctx) {
    const schema = ctx.schema;
    if (!schema) return;
    for (const b of ctx.blocks) {
      for (const t of [...(b.target ? [b.target] : []), ...b.from]) {
        if (t.kind !== 'table' || t.hole || !t.name || HOLE_IDENT.test(t.name)) continue;
        if ((t.schema && SYSTEM_SCHEMAS.has(t.schema.toLowerCase())) || SYSTEM_TABLES.has(t.name.toLowerCase()) || /^pg_/i.test(t.name)) continue;
        if (findTable(schema, t.name)) continue;
        const best = didYouMean(t.name, [...schema.tables.values()].map((x) => x.name));
        ctx.report({ range: nameRangeIn(ctx.text, t.range, t.name), messageId: 'unknown', data: { name: t.name, hint: hint(best) } });
      }
    }
  },
});
