import { defineRule, type Fix, type RuleContext } from '../src/rule.js';
import type { QueryBlock } from '../src/model/types.js';
import { quoteIdent } from '../src/index-ddl.js';
import { findTable } from '../src/schema/load.js';

/**
 * The column list the VALUES rows fill by position, from the schema: the table's first n columns
 * for rows of n values. The statement means exactly that today, so the fix is safe; it is only
 * built when every row has the same length, the schema knows the table's columns, and VALUES
 * follows the table name directly (no alias or partition clause in between).
 */
function columnsFix(b: QueryBlock, ctx: RuleContext<object>): Fix | undefined {
  const target = b.target!;
  const table = ctx.schema && target.name && !target.hole ? findTable(ctx.schema, target.name, target.schema) : undefined;
  if (!table?.columnsKnown || table.kind !== 'table') return undefined;
  const n = b.values[0]!.length;
  if (!n || n > table.columns.length || b.values.some((row) => row.length !== n)) return undefined;
  // one parameter for a row of several columns is a hole that stands for whole rows
  if (n === 1 && table.columns.length > 1 && b.values[0]![0]!.type === 'param') return undefined;
  if (!/^\s*values\b/i.test(ctx.text.slice(target.range.end, b.range.end))) return undefined;
  const list = table.columns.slice(0, n).map((c) => quoteIdent(c.name, ctx.dialect)).join(', ');
  return { safe: true, description: `Name the columns: (${list})`, edits: [{ range: { start: target.range.end, end: target.range.end }, text: ` (${list})` }] };
}

export default defineRule({
  name: 'require-insert-columns',
  category: 'correctness',
  severity: 'warn',
  constructs: ['insert'],
  recommended: true,
  fixable: 'fix',
  // seeds, fixtures and migrations insert into tables whose columns they created a line before
  contexts: ['app'],
  description: 'Require a column list in INSERT ... VALUES',
  messages: {
    missing: 'INSERT INTO {{table}} VALUES without a column list depends on the order of the table\'s columns; name them: INSERT INTO {{table}} (col1, col2, ...) VALUES ...',
  },
  docs: {
    why: 'Without a column list the values are matched to the table\'s columns by position. Adding, dropping or reordering a column in a migration then makes the statement fail, or worse, silently store values in the wrong columns when the types happen to fit. Naming the columns keeps the statement correct whatever the table\'s layout.',
    bad: "INSERT INTO users VALUES (1, 'bob@example.com', 'Bob')",
    good: "INSERT INTO users (id, email, name) VALUES (1, 'bob@example.com', 'Bob')",
  },
  check(ctx) {
    const withFix = (fix: Fix | undefined) => (fix ? { fix } : {});
    for (const b of ctx.blocks) {
      // INSERT ... SELECT copies between tables of the same shape on purpose; DEFAULT VALUES and MySQL's SET name no values by position
      if (b.type !== 'insert' || b.insertColumns !== null || !b.values.length || !b.target) continue;
      const before = ctx.text.slice(b.range.start, b.target.range.start);
      let at = -1;
      for (const m of before.matchAll(/\b(INSERT|REPLACE)\b/gi)) at = m.index;
      ctx.report({ range: { start: at >= 0 ? b.range.start + at : b.target.range.start, end: b.target.range.end }, messageId: 'missing', data: { table: b.target.name ?? 'the table' }, ...withFix(columnsFix(b, ctx)) });
    }
  },
});
