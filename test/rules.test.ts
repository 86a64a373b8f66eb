import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import { lineStarts, toLineCol } from '../src/range.js';
import type { AnyRule } from '../src/rule.js';
import type { Dialect } from '../src/dialect.js';
import { readFixture, type Mark } from './helpers/fixtures.js';
import { discoverSchemaFiles, loadSchema, readSchemaFiles, type Schema } from '../src/schema/index.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'rules');

beforeAll(() => ready());

/** A fixture's `-- schema:` project under fixtures/schema, loaded in the fixture's dialect. */
function fixtureSchema(name: string, dialect: Dialect): Schema {
  const dir = join(root, '..', 'schema', name);
  return loadSchema(readSchemaFiles(dir, discoverSchemaFiles(dir)?.files ?? []), dialect);
}

function run(rule: AnyRule, text: string, dialect: Dialect, options?: Record<string, unknown>, schema?: Schema) {
  const onlyThis = Object.fromEntries([...rules.map((r) => [r.name, 'off']), [rule.name, options ? ['warn', options] : 'warn']]);
  const res = analyze(text, { dialect, rules: onlyThis as never, ...(schema ? { schema } : {}) });
  const starts = lineStarts(text);
  const failed = res.statements.filter((s) => s.error).map((s) => s.range);
  const found: Mark[] = res.diagnostics
    .filter((d) => d.ruleId === rule.name)
    .map((d) => {
      const a = toLineCol(starts, d.start);
      const b = toLineCol(starts, d.end);
      const lineEnd = (starts[a.line] ?? text.length + 1) - 1;
      const endColumn = b.line === a.line ? b.column : toLineCol(starts, Math.min(lineEnd, text.length)).column;
      return { line: a.line, column: a.column, endColumn: endColumn, messageId: d.messageId };
    });
  const failedLines = failed.map((r) => [toLineCol(starts, r.start).line, toLineCol(starts, r.end).line] as const);
  return { found, failedLines, parseErrors: res.diagnostics.filter((d) => d.ruleId === 'parse-error') };
}

const key = (m: Mark) => `${m.line}:${m.column}-${m.endColumn} ${m.messageId}`;

// host rules (checkSite: JS/TS code around the SQL) are tested in test/embed-host-rules.test.ts
describe.each(rules.filter((r) => !r.checkSite).map((r) => [r.name, r] as const))('%s', (name, rule) => {
  const dir = join(root, name);
  it('has fixtures', () => {
    expect(existsSync(join(dir, 'invalid.sql')), `fixtures/rules/${name}/invalid.sql`).toBe(true);
    expect(existsSync(join(dir, 'valid.sql')), `fixtures/rules/${name}/valid.sql`).toBe(true);
  });
  for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')) : []) {
    const fx = readFixture(join(dir, file));
    for (const dialect of fx.dialects) {
      it(`${file} [${dialect}]`, () => {
        const { found, failedLines, parseErrors } = run(rule, fx.text, dialect, fx.options, fx.schema ? fixtureSchema(fx.schema, dialect) : undefined);
        // a statement that does not parse in a dialect checks nothing there (its marks could not be
        // checked, a valid one proves nothing): it belongs in a fixture for the dialects that parse it
        expect(failedLines.map(([a, b]) => `lines ${a}-${b}`), `statements that do not parse in ${dialect}`).toEqual([]);
        expect(parseErrors.map((e) => e.message)).toEqual([]);
        expect(found.map(key).sort()).toEqual(file.startsWith('valid') ? [] : fx.marks.map(key).sort());
        if (file.startsWith('invalid')) expect(fx.marks.length).toBeGreaterThan(0);
      });
    }
  }
  it('docs: the bad example triggers the rule, the good one does not', () => {
    const dialect = rule.docs.dialect ?? 'postgresql';
    const schema = rule.docs.schema === undefined ? undefined : loadSchema([{ path: 'docs.sql', text: rule.docs.schema }], dialect);
    const bad = run(rule, rule.docs.bad, dialect, undefined, schema);
    const good = run(rule, rule.docs.good, dialect, undefined, schema);
    expect([...bad.failedLines, ...good.failedLines], 'docs examples that do not parse').toEqual([]);
    expect(bad.found.length).toBeGreaterThan(0);
    expect(good.found).toEqual([]);
  });
});
