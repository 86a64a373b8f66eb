import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, root, sqlperf } from './cli-helpers.js';

const project = join(fixtures, 'project');
// CommonJS packages: their default export is on `.default` under NodeNext
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
beforeAll(() => ensureBuilt(), 240_000);

describe('sqlperf lint --format', () => {
  it('json: ESLint result shape with 1-based positions and exclusive endColumn', () => {
    const r = sqlperf(['lint', '-f', 'json', 'db/broken.sql', 'db/clean.sql'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      {
        filePath: join(project, 'db/broken.sql'),
        messages: [
          { ruleId: 'parse-error', severity: 2, message: 'syntax error at or near "users"', messageId: 'syntax', line: 1, column: 16, endLine: 1, endColumn: 21 },
          { ruleId: 'no-select-star', severity: 1, message: '* returns every column of every matching row of invoices, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses', messageId: 'star', line: 2, column: 8, endLine: 2, endColumn: 9 },
        ],
        errorCount: 1,
        warningCount: 1,
        fatalErrorCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        suppressedMessages: [],
        usedDeprecatedRules: [],
      },
      { filePath: join(project, 'db/clean.sql'), messages: [], errorCount: 0, warningCount: 0, fatalErrorCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, suppressedMessages: [], usedDeprecatedRules: [] },
    ]);
  });

  it('json positions survive CRLF line ends and non-ASCII text', () => {
    const r = sqlperf(['lint', '--stdin', '-f', 'json', '--rule', 'no-leading-wildcard:warn'], { input: "-- café ☕\r\nSELECT id FROM t\r\nWHERE name LIKE '%é';\r\n" });
    const [m] = (JSON.parse(r.stdout) as Array<{ messages: Array<Record<string, unknown>> }>)[0]!.messages;
    expect(m).toMatchObject({ ruleId: 'no-leading-wildcard', line: 3, column: 17, endLine: 3, endColumn: 21 });
  });

  it('github: workflow annotations with escaped data', () => {
    const r = sqlperf(['lint', '-f', 'github', 'db/broken.sql', 'db/users.sql'], { cwd: project });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '::error file=db/broken.sql,line=1,col=16,endLine=1,endColumn=21,title=sqlperf (parse-error)::syntax error at or near "users"',
        '::warning file=db/broken.sql,line=2,col=8,endLine=2,endColumn=9,title=sqlperf (no-select-star)::* returns every column of every matching row of invoices, and the query has no key lookup or small LIMIT to bound them; list the columns the code uses',
        "::warning file=db/users.sql,line=1,col=39,endLine=1,endColumn=54,title=sqlperf (no-leading-wildcard)::LIKE pattern '%25@example.com' starts with a wildcard, so a B-tree index on email cannot be used and every row is scanned; for a contains-search add a trigram index: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX ON users USING gin (email gin_trgm_ops)",
        '',
      ].join('\n'),
    );
  });

  it('sarif: valid against the SARIF 2.1.0 schema, with rule help and result regions', () => {
    const r = sqlperf(['lint', '-f', 'sarif', '.'], { cwd: project });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(join(root, 'test/schemas/sarif-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('sqlperf');
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'no-select-star');
    expect(rule.help.text).toContain('Bad:');
    expect(rule.help.markdown).toContain('```sql');
    expect(rule.shortDescription.text).toBe('Disallow `SELECT *` and `t.*` over tables');
    expect(run.results).toHaveLength(4);
    const first = run.results[0];
    expect(first).toEqual({
      ruleId: 'parse-error',
      ruleIndex: run.tool.driver.rules.findIndex((x: { id: string }) => x.id === 'parse-error'),
      level: 'error',
      message: { text: 'syntax error at or near "users"' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'db/broken.sql', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 16, endLine: 1, endColumn: 21 } } }],
      partialFingerprints: { 'sqlperfFindingHash/v1': expect.stringMatching(/^[0-9a-f]{32}:1$/) },
    });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${project}/`);
  });

  it('sarif rules: help names the rule page that exists in the repository; security rules carry security-severity; no helpUri without a repository URL', () => {
    const log = JSON.parse(sqlperf(['lint', '-f', 'sarif', 'db/clean.sql'], { cwd: project }).stdout);
    const driver = log.runs[0].tool.driver;
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository?: unknown };
    for (const rule of driver.rules as Array<{ id: string; helpUri?: string; help: { text: string; markdown: string }; properties: Record<string, unknown> }>) {
      const page = `docs/rules/${rule.id}.md`;
      expect(existsSync(join(root, page)), page).toBe(true);
      if (pkg.repository) expect(rule.helpUri!.endsWith(`/blob/HEAD/${page}`), rule.id).toBe(true);
      else {
        // SARIF wants absolute URIs there, and package.json names no repository: the page is named in the help
        expect(rule.helpUri).toBeUndefined();
        expect(driver.informationUri).toBeUndefined();
        expect(rule.help.text.endsWith(`More: ${page} in the sqlperf repository`), rule.id).toBe(true);
      }
      expect(rule.properties['security-severity'], rule.id).toBe(rule.properties.category === 'security' ? '8.8' : undefined);
    }
  });

  it('sarif partialFingerprints: unchanged when lines move, different when the finding changes, repeats numbered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-sarif-fp-'));
    try {
      const fingerprints = (sql: string): string[] => {
        writeFileSync(join(dir, 'q.sql'), sql);
        const log = JSON.parse(sqlperf(['lint', '-f', 'sarif', '--rule', 'no-select-star:warn', 'q.sql'], { cwd: dir }).stdout);
        return log.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['sqlperfFindingHash/v1']);
      };
      const before = fingerprints('SELECT * FROM users;\nSELECT * FROM orders;\n');
      expect(before).toHaveLength(2);
      expect(new Set(before).size).toBe(2);
      const moved = fingerprints('-- report queries\n\n\nSELECT   *\n  FROM users;\n\nSELECT * FROM orders;\n');
      expect(moved).toEqual(before);
      const changed = fingerprints('SELECT * FROM users;\nSELECT * FROM invoices;\n');
      expect(changed[0]).toBe(before[0]);
      expect(changed[1]).not.toBe(before[1]);
      const repeated = fingerprints('SELECT * FROM users;\nSELECT * FROM users;\n');
      expect(repeated[0]).toBe(before[0]);
      expect(repeated[1]).toBe(before[0]!.replace(/:1$/, ':2'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sarif with a file error still validates (ruleId file-error)', () => {
    const r = sqlperf(['lint', '-f', 'sarif', '--stdin', '--stdin-filename', 'x.sql'], { cwd: project, input: `${'\u0000'.repeat(64)}SELECT 1` });
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results[0].ruleId).toBe('file-error');
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats(ajv);
    expect(ajv.validate(JSON.parse(readFileSync(join(root, 'test/schemas/sarif-2.1.0.json'), 'utf8')), log)).toBe(true);
  });

  it('an unknown format is a usage error (exit 2)', () => {
    const r = sqlperf(['lint', '-f', 'xml', 'db/clean.sql'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("argument 'xml' is invalid. Allowed choices are stylish, json, sarif, github.");
  });

  it('colours with FORCE_COLOR, none with --no-color', () => {
    const forced = sqlperf(['lint', 'db/orders.sql'], { cwd: project, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\x1b\[33mwarning/);
    const off = sqlperf(['lint', '--no-color', 'db/orders.sql'], { cwd: project, env: { FORCE_COLOR: '1' } });
    expect(off.stdout).not.toMatch(/\x1b\[/);
  });
});
