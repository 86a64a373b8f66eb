import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { ready } from '../src/ready.js';
import { ALL } from './helpers/all-rules.js';

await ready(['postgresql']);

describe('analyze({ diagnosticsOnly })', () => {
  const sql = 'SELECT * FROM orders o, users u WHERE lower(u.email) = $1 ORDER BY random();\nSELECT id FROM users WHERE id = 1;';
  it('gives exactly the diagnostics of a full analysis, without computing cost or index suggestions', () => {
    const full = analyze(sql, { dialect: 'postgresql', rules: ALL });
    const lint = analyze(sql, { dialect: 'postgresql', rules: ALL, diagnosticsOnly: true });
    expect(full.diagnostics.map((d) => d.ruleId)).toContain('no-order-by-random');
    expect(lint.diagnostics).toEqual(full.diagnostics);
    expect(full.statements[0]!.cost?.score).toBeGreaterThan(0);
    expect(full.statements[0]!.indexes.length).toBeGreaterThan(0);
    expect(lint.statements.map((s) => [s.cost, s.indexes])).toEqual([[null, []], [null, []]]);
    expect(lint.statements.map((s) => s.model?.kind)).toEqual(['select', 'select']);
  });
});
