import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, sqlperf } from './cli-helpers.js';

const configs = join(fixtures, 'configs');
const at = (name: string) => join(configs, name);
beforeAll(() => ensureBuilt(), 240_000);

describe('configuration', () => {
  it('finds the "sqlperf" key of package.json', () => {
    const r = sqlperf(['lint'], { cwd: at('pkg') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1:8  error  no-select-star\n      * returns every column of every matching row of t, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses\n');
  });

  it('finds .sqlperfrc.json and uses its dialect and rules', () => {
    const r = sqlperf(['lint', '-f', 'json'], { cwd: at('rc') });
    const msgs = (JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string }> }>)[0]!.messages;
    expect(msgs.map((m) => m.ruleId)).toEqual(['no-leading-wildcard']);
    expect(r.code).toBe(0);
  });

  it('applies include and ignore globs relative to the config file, found from a subfolder upwards', () => {
    const r = sqlperf(['lint', '-f', 'json'], { cwd: at('include') });
    expect((JSON.parse(r.stdout) as Array<{ filePath: string }>).map((f) => f.filePath.slice(at('include').length + 1))).toEqual(['queries/a.sql']);
    const fromSub = sqlperf(['lint', '-f', 'json', '.'], { cwd: at('include/queries') });
    expect((JSON.parse(fromSub.stdout) as Array<{ filePath: string }>).map((f) => f.filePath.slice(at('include').length + 1))).toEqual(['queries/a.sql']);
  });

  it('an unknown key names the key, the file and the fix (exit 2)', () => {
    const r = sqlperf(['lint'], { cwd: at('unknown-key') });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `sqlperf: invalid config: ${at('unknown-key')}/sqlperf.config.json: unknown key "rulez"; did you mean "rules"? allowed keys are dialect, rules, include, ignore, tags, callees, extendDefaultTags, extendDefaultCallees, schema, tables, verify, contexts, overrides, reportUnusedDisableDirectives, limits\n` });
  });

  it('an unknown rule suggests the closest one (exit 2)', () => {
    const r = sqlperf(['lint'], { cwd: at('unknown-rule') });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sqlperf: invalid config: ${at('unknown-rule')}/.sqlperfrc.json: rules: unknown rule "no-selct-star"; did you mean "no-select-star"? (run \`sqlperf rules\` for the list)\n`);
  });

  it('a wrong type and invalid JSON are config errors (exit 2), never a stack trace', () => {
    const wrong = sqlperf(['lint'], { cwd: at('wrong-type') });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(`sqlperf: invalid config: ${at('wrong-type')}/sqlperf.config.json: "ignore" must be an array of non-empty strings, e.g. "ignore": ["..."] (got "db/**")\n`);
    const bad = sqlperf(['lint'], { cwd: at('bad-json') });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sqlperf: invalid config: .*bad-json\/sqlperf\.config\.json: invalid JSON: .+\n$/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('--config loads a given file; a missing one is exit 2', () => {
    const r = sqlperf(['lint', '--config', at('pkg/package.json'), '-f', 'json', at('rc/q.sql')]);
    expect((JSON.parse(r.stdout) as Array<{ errorCount: number }>)[0]!.errorCount).toBe(1);
    const missing = sqlperf(['lint', '--config', 'nope.json', at('rc/q.sql')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^sqlperf: invalid config: cannot read config file .*nope\.json: no such file\n$/);
  });

  it('bad flags are usage errors (exit 2): unknown rule, bad severity, bad dialect, bad --max-warnings', () => {
    const file = join(fixtures, 'project/db/clean.sql');
    expect(sqlperf(['lint', '--rule', 'no-selct-star:error', file])).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: --rule: unknown rule "no-selct-star"; did you mean "no-select-star"? (run `sqlperf rules` for the list)\n' });
    expect(sqlperf(['lint', '--rule', 'no-select-star:loud', file]).stderr).toBe('sqlperf: --rule no-select-star: severity must be "off", "warn" or "error" (got "loud")\n');
    expect(sqlperf(['lint', '--rule', 'no-select-star', file]).stderr).toBe('sqlperf: --rule expects <rule>:<off|warn|error>, e.g. --rule no-select-star:error (got "no-select-star")\n');
    expect(sqlperf(['lint', '--dialect', 'oracle', file])).toEqual({ code: 2, stdout: '', stderr: 'sqlperf: unknown dialect "oracle"; use one of postgresql, mysql, mariadb, sqlite, bigquery, transactsql, snowflake\n' });
    expect(sqlperf(['lint', '--max-warnings', 'many', file]).stderr).toBe('sqlperf: --max-warnings expects a whole number, got "many"\n');
    const unknownOpt = sqlperf(['lint', '--bogus']);
    expect(unknownOpt.code).toBe(2);
    expect(unknownOpt.stderr).toBe("sqlperf: error: unknown option '--bogus'\n");
    const noCommand = sqlperf([]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('Usage: sqlperf [options] [command]');
  });

  it('--rule takes options as JSON', () => {
    const sql = 'SELECT a.id FROM a JOIN b ON b.id = a.id JOIN c ON c.id = a.id;\n';
    const r = sqlperf(['lint', '--stdin', '-f', 'json', '--rule', 'max-joins:["error",{"max":1}]'], { input: sql });
    expect((JSON.parse(r.stdout) as Array<{ messages: Array<{ ruleId: string }> }>)[0]!.messages.map((m) => m.ruleId)).toEqual(['max-joins']);
    expect(r.code).toBe(1);
  });

  it('--help and --version exit 0', () => {
    expect(sqlperf(['--version']).code).toBe(0);
    const help = sqlperf(['lint', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--max-warnings <n>');
  });
});
