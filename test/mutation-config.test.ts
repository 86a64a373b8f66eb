import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_DEPTH, tableSizes, validateConfig } from '../src/config/load.js';
import { builtinSeverity, ConfigError, resolveRules, unknownRuleMessage, validateOptions } from '../src/config/rules-config.js';
import type { AnyRule, OptionSchema } from '../src/rule.js';

// Golden tests for src/config/rules-config.ts and src/config/load.ts, in process (the CLI tests run
// dist/, which Stryker does not mutate): each message names the file, the key and the fix.

/** A rule with just what resolveRules reads. */
const rule = (name: string, extra: Partial<AnyRule> = {}): AnyRule => ({ name, recommended: true, severity: 'warn', ...extra }) as AnyRule;
const schema: OptionSchema = {
  type: 'object',
  properties: { max: { type: 'integer', minimum: 1 }, ratio: { type: 'number', minimum: 0.5 }, strict: { type: 'boolean' }, label: { type: 'string' }, names: { type: 'array', items: { type: 'string' } } },
  additionalProperties: false,
};
const fail = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).name).toBe('ConfigError');
    return (e as Error).message;
  }
  throw new Error('no ConfigError');
};

describe('rules config: severities, options and unknown rules', () => {
  const all = [rule('a-rule', { schema, defaultOptions: { max: 3 } }), rule('b-rule', { recommended: false, severity: 'error' }), rule('c-rule')];
  const resolved = (config: Record<string, unknown> | undefined) => {
    const r = resolveRules(all, config as never);
    return { active: r.active.map((a) => `${a.rule.name}:${a.severity}:${JSON.stringify(a.options)}`), builtins: r.builtins };
  };
  it('recommended rules at their default severity and options, in the rules\' order; built-ins at theirs', () => {
    expect(resolved(undefined)).toEqual({ active: ['a-rule:warn:{"max":3}', 'c-rule:warn:{}'], builtins: { 'parse-error': 'error', 'unused-directive': 'off' } });
  });
  it('the config turns rules on and off, sets severities and merges options over the defaults', () => {
    expect(resolved({ 'c-rule': 'off', 'b-rule': 'warn', 'a-rule': ['error', { strict: true }] }).active).toEqual(['a-rule:error:{"max":3,"strict":true}', 'b-rule:warn:{}']);
    expect(resolved({ 'a-rule': ['warn'], 'c-rule': 0, 'b-rule': 2 }).active).toEqual(['a-rule:warn:{"max":3}', 'b-rule:error:{}']);
    expect(resolved({ 'parse-error': 'warn', 'unused-directive': ['error'] }).builtins).toEqual({ 'parse-error': 'warn', 'unused-directive': 'error' });
  });
  it('a bad severity, an unknown rule or bad options is a ConfigError naming the key', () => {
    expect(fail(() => resolved({ 'a-rule': 'on' }))).toBe('rules.a-rule: severity must be "off", "warn" or "error" (got "on")');
    expect(fail(() => resolved({ 'a-rule': [] }))).toBe('rules.a-rule: severity must be "off", "warn" or "error" (got undefined)');
    expect(fail(() => resolveRules(all, { 'a-rul': 'warn' }, 'overrides.rules'))).toBe('overrides.rules: unknown rule "a-rul"; did you mean "a-rule"? (run `sqlperf rules` for the list)');
    expect(fail(() => resolved({ 'parse-eror': 'warn' }))).toBe('rules: unknown rule "parse-eror"; did you mean "parse-error"? (run `sqlperf rules` for the list)');
    for (const opts of [5, null, ['x'], 'x']) expect(fail(() => resolved({ 'a-rule': ['warn', opts] }))).toBe('rules.a-rule: options must be an object, e.g. ["warn", { ... }]');
    expect(fail(() => resolved({ 'a-rule': ['warn', { max: 0, nope: 1 }] }))).toBe('rules.a-rule: option "max" of rule "a-rule" must be at least 1, got 0; rule "a-rule" has no option "nope" (options: max, ratio, strict, label, names)');
    // options are checked when the rule is turned off too
    expect(fail(() => resolved({ 'c-rule': ['off', { max: 1 }] }))).toBe('rules.c-rule: rule "c-rule" has no option "max" (it takes no options)');
  });
  it('validateOptions: each type, the minimum, and every problem at once', () => {
    expect(validateOptions('r', schema, { max: 2, ratio: 0.5, strict: false, label: '', names: ['a', 'b'] })).toEqual([]);
    expect(validateOptions('r', schema, { names: [] })).toEqual([]);
    expect(validateOptions('r', schema, { max: 1.5, ratio: '1', strict: 'yes', label: 3, names: ['a', 1] })).toEqual([
      'option "max" of rule "r" must be an integer, got 1.5',
      'option "ratio" of rule "r" must be a number, got "1"',
      'option "strict" of rule "r" must be a boolean, got "yes"',
      'option "label" of rule "r" must be a string, got 3',
      'option "names" of rule "r" must be an array of strings, got ["a",1]',
    ]);
    expect(validateOptions('r', schema, { names: 'a' })).toEqual(['option "names" of rule "r" must be an array of strings, got "a"']);
    expect(validateOptions('r', schema, { max: 0, ratio: 0.4 })).toEqual(['option "max" of rule "r" must be at least 1, got 0', 'option "ratio" of rule "r" must be at least 0.5, got 0.4']);
    expect(validateOptions('r', undefined, { max: 1 })).toEqual(['rule "r" has no option "max" (it takes no options)']);
  });
  it('builtinSeverity reads a built-in id as written, without resolving the rest', () => {
    expect(builtinSeverity(undefined, 'parse-error')).toBe('error');
    expect(builtinSeverity({ 'unused-directive': 1 as never }, 'unused-directive')).toBe('warn');
    expect(builtinSeverity({ 'unused-directive': ['error', {}] }, 'unused-directive')).toBe('error');
    expect(builtinSeverity({ 'unused-directive': 'loud' as never, 'no-such-rule': 'warn' }, 'unused-directive')).toBe('off');
    expect(builtinSeverity({ 'parse-error': 0 as never }, 'parse-error')).toBe('off');
  });
  it('unknownRuleMessage: a hint only when a name is near', () => {
    expect(unknownRuleMessage('zzz', ['no-select-star'])).toBe('unknown rule "zzz" (run `sqlperf rules` for the list)');
  });
});

describe('config files: every key checked, with the file, the key and the fix', () => {
  const v = (raw: unknown, file = '/p/.sqlperfrc.json') => validateConfig(raw, file);
  it('accepts every key in its forms', () => {
    expect(v({ $schema: 'x', dialect: 'postgres', rules: { 'no-select-star': 'error' }, include: ['src/**'], ignore: ['dist/**'], tags: ['sql'], callees: ['query'], extendDefaultTags: false, extendDefaultCallees: true, schema: 'db/schema.sql', tables: { orders: { rows: 5 }, t: {} }, verify: true, overrides: [{ files: ['db/**'], dialect: 'sqlite' }], reportUnusedDisableDirectives: true })).toEqual({
      dialect: 'postgresql', rules: { 'no-select-star': 'error' }, include: ['src/**'], ignore: ['dist/**'], tags: ['sql'], callees: ['query'], extendDefaultTags: false, extendDefaultCallees: true, schema: ['db/schema.sql'], tables: { orders: { rows: 5 }, t: {} }, verify: true, overrides: [{ files: ['db/**'], dialect: 'sqlite' }], reportUnusedDisableDirectives: 'warn',
    });
    expect(v({ schema: false, reportUnusedDisableDirectives: false, overrides: [{ files: ['a/**'] }] })).toEqual({ schema: false, reportUnusedDisableDirectives: 'off', overrides: [{ files: ['a/**'] }] });
    expect(v({ schema: ['a.sql', 'b/'], reportUnusedDisableDirectives: 'error' })).toEqual({ schema: ['a.sql', 'b/'], reportUnusedDisableDirectives: 'error' });
  });
  it('names the file (package.json by its key), the key and an example', () => {
    const f = '/p/.sqlperfrc.json';
    for (const raw of ['x', 5, true]) expect(fail(() => v(raw))).toBe(`${f}: the config must be a JSON object, e.g. { "rules": { "no-select-star": "error" } }`);
    expect(fail(() => v([]))).toBe(`${f}: the config must be a JSON object, e.g. { "rules": { "no-select-star": "error" } }`);
    expect(fail(() => v(null, '/p/package.json'))).toBe('/p/package.json (key "sqlperf"): the config must be a JSON object, e.g. { "rules": { "no-select-star": "error" } }');
    expect(fail(() => v({ rulez: {} }))).toBe(`${f}: unknown key "rulez"; did you mean "rules"? allowed keys are dialect, rules, include, ignore, tags, callees, extendDefaultTags, extendDefaultCallees, schema, tables, verify, contexts, overrides, reportUnusedDisableDirectives, limits`);
    expect(fail(() => v({ qqqqqqqq: 1 }))).toMatch(/unknown key "qqqqqqqq"; allowed keys are dialect,/);
    expect(fail(() => v({ dialect: 'oracle' }))).toMatch(/^\/p\/\.sqlperfrc\.json: "dialect" must be one of postgresql, .* \(got "oracle"\)$/);
    expect(fail(() => v({ dialect: 5 }))).toMatch(/"dialect" must be one of .* \(got 5\)$/);
    expect(fail(() => v({ rules: ['x'] }))).toBe(`${f}: "rules" must be an object of rule ids to severities, e.g. "rules": { "no-select-star": "error" }`);
    expect(fail(() => v({ rules: 'no-select-star' }))).toBe(`${f}: "rules" must be an object of rule ids to severities, e.g. "rules": { "no-select-star": "error" }`);
    expect(fail(() => v({ rules: null }))).toBe(`${f}: "rules" must be an object of rule ids to severities, e.g. "rules": { "no-select-star": "error" }`);
    expect(fail(() => v({ rules: { 'no-select-star': 'loud' } }))).toBe(`${f}: rules.no-select-star: severity must be "off", "warn" or "error" (got "loud")`);
    expect(fail(() => v({ include: 'src' }))).toBe(`${f}: "include" must be an array of non-empty strings, e.g. "include": ["..."] (got "src")`);
    expect(fail(() => v({ tags: [''] }))).toBe(`${f}: "tags" must be an array of non-empty strings, e.g. "tags": ["..."] (got [""])`);
    expect(fail(() => v({ callees: [1] }))).toBe(`${f}: "callees" must be an array of non-empty strings, e.g. "callees": ["..."] (got [1])`);
    expect(fail(() => v({ ignore: ['dist/**', ''] }))).toBe(`${f}: "ignore" must be an array of non-empty strings, e.g. "ignore": ["..."] (got ["dist/**",""])`);
    expect(fail(() => v({ schema: '' }))).toBe(`${f}: "schema" must be an array of non-empty strings, e.g. "schema": ["..."] (got [""])`);
    expect(fail(() => v({ schema: true }))).toBe(`${f}: "schema" must be an array of non-empty strings, e.g. "schema": ["..."] (got true)`);
    expect(fail(() => v({ extendDefaultTags: 'no' }))).toBe(`${f}: "extendDefaultTags" must be true (add to the defaults) or false (use only yours) (got "no")`);
    expect(fail(() => v({ verify: 1 }))).toBe(`${f}: "verify" must be true or false (got 1)`);
    expect(fail(() => v({ reportUnusedDisableDirectives: 'on' }))).toBe(`${f}: "reportUnusedDisableDirectives" must be "off", "warn", "error", true ("warn") or false (got "on")`);
  });
  it('tables: an object of { rows: whole number }, with no prototype', () => {
    const t = tableSizes('f', { __proto__: { rows: 1 }, constructor: {} } as unknown);
    expect(Object.getPrototypeOf(t)).toBeNull();
    expect(Object.keys(t)).toEqual(['constructor']);
    expect(Object.entries(tableSizes('f', JSON.parse('{"__proto__": {"rows": 1}}')))).toEqual([['__proto__', { rows: 1 }]]);
    expect(tableSizes('f', { a: { rows: 0 } })).toEqual({ a: { rows: 0 } });
    // a table without rows has no rows key (not rows: undefined)
    expect(Object.keys(tableSizes('f', { a: {} }).a!)).toEqual([]);
    const example = '"tables": { "orders": { "rows": 50000000 } }';
    for (const bad of [null, [], 'x']) expect(fail(() => tableSizes('f', bad))).toBe(`f: "tables" must be an object of table names, e.g. ${example}`);
    for (const bad of [null, 5, { rows: -1 }, { rows: 1.5 }, { rows: '1' }, { rows: 1, size: 2 }]) expect(fail(() => tableSizes('f', { t: bad }))).toBe(`f: "tables.t" must be { "rows": <whole number> }, e.g. ${example} (got ${JSON.stringify(bad)})`);
  });
  it('overrides: an array of { files, dialect }', () => {
    const f = '/p/.sqlperfrc.json';
    const example = '"overrides": [{ "files": ["db/sqlite/**"], "dialect": "sqlite" }]';
    expect(fail(() => v({ overrides: {} }))).toBe(`${f}: "overrides" must be an array, e.g. ${example}`);
    for (const bad of [null, [], 'x']) expect(fail(() => v({ overrides: [bad] }))).toBe(`${f}: "overrides[0]" must be an object, e.g. ${example}`);
    expect(fail(() => v({ overrides: [{ files: ['a'] }, { dialect: 'mysql' }] }))).toBe(`${f}: "overrides[1].files" is missing, e.g. ${example}`);
    expect(fail(() => v({ overrides: [{ files: ['a'], dialect: 'x' }] }))).toMatch(/: "overrides\[0\]\.dialect" must be one of postgresql, .* \(got "x"\)$/);
    expect(fail(() => v({ overrides: [{ files: ['a'], dialect: 1 }] }))).toMatch(/: "overrides\[0\]\.dialect" must be one of .* \(got 1\)$/);
    expect(fail(() => v({ overrides: [{ files: ['a'], other: 1 }] }))).toBe(`${f}: unknown key "overrides[0].other"; an override takes "files" and "dialect"`);
    expect(fail(() => v({ overrides: [{ files: 'a' }] }))).toBe(`${f}: "overrides[0].files" must be an array of non-empty strings, e.g. "overrides[0].files": ["..."] (got "a")`);
  });
  it('globs that do not compile name their key', () => {
    const f = '/p/.sqlperfrc.json';
    expect(fail(() => v({ include: ['src/{a'] }))).toMatch(/^\/p\/\.sqlperfrc\.json: "include": /);
    expect(fail(() => v({ ignore: ['src/{a'] }))).toMatch(/^\/p\/\.sqlperfrc\.json: "ignore": /);
    expect(fail(() => v({ contexts: { migration: ['db/{a'] } }))).toMatch(/^\/p\/\.sqlperfrc\.json: "contexts\.migration": /);
    expect(fail(() => v({ overrides: [{ files: ['x', 'db/{a'] }] }))).toMatch(/^\/p\/\.sqlperfrc\.json: "overrides\[0\]\.files": /);
    expect(v({ contexts: { migration: ['db/**'] } })).toEqual({ contexts: { migration: ['db/**'] } });
    expect(fail(() => v({ contexts: 5 }))).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}: `));
    expect(fail(() => v({ limits: { nope: 1 } }))).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')}: `));
    expect(v({ limits: { maxMessagesPerFile: 5 } })).toEqual({ limits: { maxMessagesPerFile: 5 } });
  });
  it('a value nested deeper than the limit is refused before any check recurses into it', () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : { x: nest(n - 1) });
    expect(fail(() => v({ rules: {}, tables: nest(MAX_CONFIG_DEPTH + 1) }))).toBe(`/p/.sqlperfrc.json: "tables" is nested more than ${MAX_CONFIG_DEPTH} levels deep; no setting needs that`);
    // exactly the limit is only a wrong value
    expect(fail(() => v({ tables: nest(MAX_CONFIG_DEPTH) }))).toMatch(/"tables\.x" must be \{ "rows": <whole number> \}/);
    const arr = (n: number): unknown => (n === 0 ? 'a' : [arr(n - 1)]);
    expect(fail(() => v({ include: arr(MAX_CONFIG_DEPTH + 1) }))).toMatch(/"include" is nested more than/);
    expect(fail(() => v({ include: arr(MAX_CONFIG_DEPTH) }))).toMatch(/"include" must be an array of non-empty strings/);
    expect(fail(() => v({ include: [null, arr(MAX_CONFIG_DEPTH + 1)] }))).toMatch(/"include" is nested more than/);
  });
});

describe('loadConfig: found from a folder upwards, or given', () => {
  const root = mkdtempSync(join(tmpdir(), 'sqlperf-config-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (rel: string, text: string) => {
    const p = join(root, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  it('finds sqlperf.config.json above the folder, with its folder as the base', async () => {
    file('a/sqlperf.config.json', '{ "dialect": "mysql" }');
    mkdirSync(join(root, 'a/b/c'), { recursive: true });
    expect(await loadConfig(join(root, 'a/b/c'))).toEqual({ config: { dialect: 'mysql' }, filepath: join(root, 'a/sqlperf.config.json'), base: join(root, 'a') });
  });
  it('the "sqlperf" key of package.json; none at all is no config', async () => {
    file('p/package.json', '{ "name": "x", "sqlperf": { "verify": true } }');
    expect(await loadConfig(join(root, 'p'))).toEqual({ config: { verify: true }, filepath: join(root, 'p/package.json'), base: join(root, 'p') });
    file('q/package.json', '{ "name": "x" }');
    const none = await loadConfig(join(root, 'q'));
    expect(none.filepath === null || !none.filepath.startsWith(root)).toBe(true);
  });
  it('an empty config file is no config when found, and an error when given', async () => {
    file('m/.sqlperfrc.json', '  \n');
    const found = await loadConfig(join(root, 'm'));
    expect(found.filepath === null || !found.filepath.startsWith(root)).toBe(true);
    await expect(loadConfig(join(root, 'm'), '.sqlperfrc.json')).rejects.toThrow(new ConfigError(`${join(root, 'm/.sqlperfrc.json')}: no sqlperf config in this file`));
  });
  it('invalid JSON and a bad value are ConfigErrors naming the file', async () => {
    const bad = file('j/.sqlperfrc.json', '{ "dialect": ');
    await expect(loadConfig(join(root, 'j'))).rejects.toThrow(new RegExp(`^${bad.replace(/[.\\]/g, '\\$&')}: invalid JSON: `));
    file('k/.sqlperfrc.json', '{ "verify": "yes" }');
    await expect(loadConfig(join(root, 'k'))).rejects.toThrow(`${join(root, 'k/.sqlperfrc.json')}: "verify" must be true or false (got "yes")`);
  });
  it('an explicit file, relative to the folder; a missing file or one without a config is a ConfigError', async () => {
    file('e/conf/my.json', '{ "dialect": "sqlite" }');
    expect(await loadConfig(join(root, 'e'), 'conf/my.json')).toEqual({ config: { dialect: 'sqlite' }, filepath: join(root, 'e/conf/my.json'), base: join(root, 'e/conf') });
    await expect(loadConfig(join(root, 'e'), 'nope.json')).rejects.toThrow(new ConfigError(`cannot read config file ${join(root, 'e/nope.json')}: no such file`));
    file('e/package.json', '{ "name": "x" }');
    await expect(loadConfig(join(root, 'e'), 'package.json')).rejects.toThrow(new ConfigError(`${join(root, 'e/package.json')} (key "sqlperf"): no sqlperf config in this file`));
    const broken = file('e/broken.json', '{');
    await expect(loadConfig(join(root, 'e'), 'broken.json')).rejects.toThrow(new RegExp(`^${broken.replace(/[.\\]/g, '\\$&')}: invalid JSON: `));
    mkdirSync(join(root, 'e/dir.json'), { recursive: true });
    await expect(loadConfig(join(root, 'e'), 'dir.json')).rejects.toThrow(new RegExp(`^cannot read config file ${join(root, 'e/dir.json').replace(/[.\\]/g, '\\$&')}: EISDIR`));
  });
});
