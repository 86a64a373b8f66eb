import { defineRule } from '../src/rule.js';
import type { Range } from '../src/range.js';
import type { QueryBlock } from '../src/model/types.js';

/** From the UPDATE / DELETE keyword to the end of the target table name. */
function headRange(text: string, b: QueryBlock, word: string): Range {
  const target = b.target!.range;
  const before = text.slice(b.range.start, target.start);
  let at = -1;
  for (const m of before.matchAll(new RegExp(`\\b${word}\\b`, 'gi'))) at = m.index;
  return { start: at >= 0 ? b.range.start + at : target.start, end: target.end };
}

export default defineRule({
  name: 'require-where',
  category: 'correctness',
  severity: 'warn',
  constructs: ['update', 'delete'],
  // judged on 9 real applications: every UPDATE/DELETE without WHERE in app code was a deliberate purge
  // or "clear all" action (0 of 16 worth a reviewer's time); on request only
  recommended: false,
  // a backfill in a migration, a reset in a seed script or a cleanup in a test deletes everything on purpose
  contexts: ['app'],
  description: 'Disallow UPDATE and DELETE without WHERE',
  messages: {
    missing: '{{statement}} has no WHERE clause: it changes every row of {{table}}; add the condition, or write WHERE true (TRUNCATE for a purge) to show it is meant',
  },
  docs: {
    why: 'An UPDATE or DELETE without WHERE touches every row of the table. It is almost always a mistake (a condition lost in an edit, a string built without its filter) and it cannot be undone without a backup. On a large table it also rewrites every row, bloats it and holds locks for the whole run. When every row is really meant, say so with an explicit `WHERE true` or use TRUNCATE.',
    bad: 'DELETE FROM sessions',
    good: 'DELETE FROM sessions WHERE expires_at < now()',
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      if ((b.type !== 'update' && b.type !== 'delete') || b.where || !b.target) continue;
      // multi-table forms (UPDATE a JOIN b ON ..., DELETE ... USING) are restricted by their joins;
      // MySQL's DELETE ... ORDER BY ... LIMIT n deletes in batches on purpose
      if (b.from.length || b.limit) continue;
      const word = b.type === 'update' ? 'UPDATE' : 'DELETE';
      ctx.report({ range: headRange(ctx.text, b, word), messageId: 'missing', data: { statement: word, table: b.target.name ?? 'the table' } });
    }
  },
});
