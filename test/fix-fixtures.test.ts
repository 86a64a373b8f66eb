// Every fix of the rule fixtures: applied to the fixture, the SQL still parses with the dialect's
// parser and the findings that had a fix are gone (the others stay).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import { discoverSchemaFiles, loadSchema, readSchemaFiles } from '../src/schema/index.js';
import { applyFixes } from '../src/fix/apply.js';
import type { Dialect } from '../src/dialect.js';
import { readFixture } from './helpers/fixtures.js';

beforeAll(() => ready());

const root = join(import.meta.dirname, '..', 'fixtures');
const FIXABLE = rules.filter((r) => r.fixable);
/** Fixes applied per rule over its fixtures (the tests run in order: the last one reads it). */
const appliedBy = new Map<string, number>();

it('the fixable rules: the four of issue 18 and the index of an unindexed foreign key', () => {
  expect(FIXABLE.map((r) => `${r.name}:${r.fixable}`).sort()).toEqual(['no-not-in-subquery:suggestion', 'no-select-star:fix', 'prefer-exists:fix', 'require-insert-columns:fix', 'unindexed-foreign-key:suggestion']);
});

describe.each(FIXABLE.map((r) => [r.name, r] as const))('%s fixtures, fixed', (name, rule) => {
  const dir = join(root, 'rules', name);
  for (const file of readdirSync(dir).filter((f) => f.startsWith('invalid') && f.endsWith('.sql'))) {
    const fx = readFixture(join(dir, file));
    for (const dialect of fx.dialects) {
      it(`${file} [${dialect}]`, () => {
        const schemaDir = fx.schema ? join(root, 'schema', fx.schema) : undefined;
        const schema = schemaDir ? loadSchema(readSchemaFiles(schemaDir, discoverSchemaFiles(schemaDir)?.files ?? []), dialect as Dialect) : undefined;
        const config = Object.fromEntries(rules.map((r) => [r.name, r === rule ? (fx.options ? ['warn', fx.options] : 'warn') : 'off'])) as never;
        const lint = (text: string) => analyze(text, { dialect, rules: config, ...(schema ? { schema } : {}) });
        const before = lint(fx.text).diagnostics.filter((d) => d.ruleId === name);
        let text = fx.text;
        let applied = 0;
        for (let pass = 0; pass < 10; pass++) {
          const r = applyFixes(text, lint(text).diagnostics.flatMap((d) => (d.ruleId === name && d.fix ? [d.fix] : [])));
          if (!r.applied.length) break;
          applied += r.applied.length;
          text = r.output;
        }
        const after = lint(text);
        expect(after.statements.filter((s) => s.error).map((s) => `${text.slice(s.range.start, s.range.end)}: ${s.error!.message}`)).toEqual([]);
        const left = after.diagnostics.filter((d) => d.ruleId === name);
        expect(left.filter((d) => d.fix)).toEqual([]);
        expect(left.length).toBe(before.length - applied);
        appliedBy.set(name, (appliedBy.get(name) ?? 0) + applied);
      });
    }
  }
});

it('the fixtures exercise the fixes: those that need no schema, and no-select-star with its schema fixture', () => {
  // require-insert-columns fixtures have no schema, so no fix: test/fix.test.ts covers it
  expect(['no-not-in-subquery', 'no-select-star', 'prefer-exists'].map((r) => (appliedBy.get(r) ?? 0) > 0)).toEqual([true, true, true]);
});
