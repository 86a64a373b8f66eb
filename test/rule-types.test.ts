// Message ids are typed per rule: defineRule infers them from `messages`, so a report with an id the
// rule does not define does not compile. The @ts-expect-error below is checked by `npm run typecheck`
// (CI): if the typing regressed, the directive itself would be the error.
import { expect, it } from 'vitest';
import { defineRule } from '../src/rule.js';

it('a rule reports only its own message ids', () => {
  const reported: string[] = [];
  const rule = defineRule({
    name: 'typed-ids',
    category: 'performance',
    severity: 'warn',
    recommended: false,
    description: 'A rule for the type test',
    messages: { one: 'one {{x}}' },
    docs: { why: '', bad: '', good: '' },
    check(ctx) {
      ctx.report({ range: { start: 0, end: 1 }, messageId: 'one' });
      // @ts-expect-error 'two' is not one of this rule's messages
      ctx.report({ range: { start: 0, end: 1 }, messageId: 'two' });
    },
  });
  rule.check({ report: (r: { messageId: string }) => reported.push(r.messageId) } as never);
  expect(reported).toEqual(['one', 'two']);
});
