import { defineRule } from '../src/rule.js';

export default defineRule({
  name: 'require-insert-columns',
  category: 'correctness',
  severity: 'warn',
  recommended: true,
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
    for (const b of ctx.blocks) {
      // INSERT ... SELECT copies between tables of the same shape on purpose; DEFAULT VALUES and MySQL's SET name no values by position
      if (b.type !== 'insert' || b.insertColumns !== null || !b.values.length || !b.target) continue;
      const before = ctx.text.slice(b.range.start, b.target.range.start);
      let at = -1;
      for (const m of before.matchAll(/\b(INSERT|REPLACE)\b/gi)) at = m.index;
      ctx.report({ range: { start: at >= 0 ? b.range.start + at : b.target.range.start, end: b.target.range.end }, messageId: 'missing', data: { table: b.target.name ?? 'the table' } });
    }
  },
});
