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

it('a rule with options (inferred from defaultOptions) and value-side checks still reports only its own message ids', async () => {
  const { withValueCheck } = await import('../src/embed/hole-values.js');
  const rule = withValueCheck(
    defineRule({
      name: 'typed-ids-options',
      category: 'performance',
      severity: 'warn',
      recommended: false,
      description: 'A rule for the type test',
      messages: { over: 'over {{max}}' },
      docs: { why: '', bad: '', good: '' },
      defaultOptions: { max: 3 },
      check(ctx) {
        const max: number = ctx.options.max;
        ctx.report({ range: { start: 0, end: 1 }, messageId: 'over', data: { max } });
        // @ts-expect-error 'under' is not one of this rule's messages
        ctx.report({ range: { start: 0, end: 1 }, messageId: 'under' });
      },
    }),
    {
      site(_site, ctx) {
        // @ts-expect-error 'under' is not one of this rule's messages
        ctx.report({ range: { start: 0, end: 1 }, messageId: 'under' });
      },
      program(_program, ctx) {
        const max: number = ctx.options.max;
        ctx.report({ range: { start: 0, end: 1 }, messageId: 'over', data: { max } });
        // @ts-expect-error 'under' is not one of this rule's messages
        ctx.report({ range: { start: 0, end: 1 }, messageId: 'under' });
      },
    },
  );
  // the value-side checks are typed fields of the rule, found by the engine without casts
  expect([typeof rule.checkValues, typeof rule.checkProgram, typeof rule.checkSite]).toEqual(['function', 'function', 'undefined']);
});
