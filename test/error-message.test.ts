import { describe, expect, it } from 'vitest';
import { errorMessage } from '../src/error-message.js';

describe('errorMessage', () => {
  it("reads an Error's message", () => {
    expect(errorMessage(new TypeError('x is not a function'))).toBe('x is not a function');
  });
  it("reads an Error-like object's message (what some WebAssembly parsers throw)", () => {
    expect(errorMessage({ message: 'syntax error at or near "FROM"', cursorPosition: 9 })).toBe('syntax error at or near "FROM"');
  });
  it('gives the thrown value as text when it has no string message (a thrown string, number, null, an object)', () => {
    expect(errorMessage('boom')).toBe('boom');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(null)).toBe('null');
    expect(errorMessage(undefined)).toBe('undefined');
    expect(errorMessage({ message: 7 })).toBe('[object Object]');
  });
});

describe('a rule that throws', () => {
  it('gives an internal-error finding with what it threw, also a thrown string (was "undefined")', async () => {
    const { analyze, ready } = await import('../src/api.js');
    const { defineRule } = await import('../src/rule.js');
    await ready();
    const thrower = defineRule({
      name: 'thrower',
      category: 'performance',
      severity: 'warn',
      recommended: true,
      description: 'Throws',
      messages: { m: 'm' },
      docs: { why: '', bad: '', good: '' },
      check() {
        throw 'boom';
      },
    });
    const r = analyze('SELECT id FROM users', { ruleSet: [thrower] });
    expect(r.diagnostics.map((d) => [d.ruleId, d.severity, d.message, d.start, d.end])).toEqual([['thrower', 'error', 'internal error in rule thrower: boom', 0, 0]]);
  });
});
