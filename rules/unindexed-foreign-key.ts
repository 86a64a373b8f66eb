import { defineRule } from '../src/rule.js';
import { createIndex } from '../src/indexes.js';
import { ddlAt, findTable, sameName } from '../src/schema/load.js';
import { isSmall } from '../src/schema/match.js';

export default defineRule({
  name: 'unindexed-foreign-key',
  category: 'performance',
  severity: 'warn',
  recommended: true,
  description: 'Disallow foreign keys whose columns no index starts with (needs a schema)',
  messages: {
    unindexed: 'foreign key {{table}} ({{columns}}) has no index starting with it: joins from {{refTable}} and every DELETE or key UPDATE on {{refTable}} scan {{table}}; add: {{statement}}',
  },
  docs: {
    why: 'PostgreSQL does not index the referencing side of a foreign key. Joining from the parent, and every DELETE (or key UPDATE) on the parent, which must check for referencing rows, then reads the whole child table, often while holding locks. Reported on the REFERENCES / FOREIGN KEY in the DDL; the final schema (all migrations) decides whether an index exists. MySQL (InnoDB) creates such an index by itself.',
    bad: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id))',
    good: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\nCREATE INDEX orders_customer_id_idx ON orders (customer_id)',
    schema: 'CREATE TABLE customers (id bigint PRIMARY KEY);',
  },
  check(ctx) {
    const schema = ctx.schema;
    if (!schema || ctx.statement.kind !== 'other') return;
    for (const a of ddlAt(ctx.text, ctx.statement.range, ctx.dialect)) {
      if (a.op !== 'addForeignKey') continue;
      const t = findTable(schema, a.fk.table);
      if (!t || t.kind !== 'table' || isSmall(t)) continue;
      const cols = a.fk.columns;
      // the foreign key may have been dropped by a later migration
      if (!t.foreignKeys.some((f) => f.columns.length === cols.length && f.columns.every((c, i) => sameName(c, cols[i]!)))) continue;
      const covered = t.indexes.some((i) => (i.method === 'btree' || (i.method === 'hash' && cols.length === 1)) && i.where === null && cols.every((c) => i.keys.slice(0, cols.length).some((k) => k.column !== null && sameName(k.column, c))));
      if (covered) continue;
      ctx.report({ range: a.range, messageId: 'unindexed', data: { table: t.name, columns: cols.join(', '), refTable: a.fk.refTable, statement: createIndex(t.name, null, cols, ctx.dialect) } });
    }
  },
});
