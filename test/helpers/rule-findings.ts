import { analyze, loadSchema, rules } from '../../src/api.js';
import type { Dialect } from '../../src/dialect.js';
import { applyFixes } from '../../src/fix/apply.js';
import { lineStarts, toLineCol } from '../../src/range.js';
import type { Diagnostic } from '../../src/rule.js';
import { lintHostSource } from '../../src/embed/index.js';

/** How one rule runs on one text in the golden tests of test/mutation-rules-*.test.ts. */
export interface RunOptions {
  dialect?: Dialect;
  /** DDL for the schema, loaded in the same dialect. */
  ddl?: string;
  /** Table sizes for the schema (`{ orders: { rows: 50 } }`), as the config's `tables`. */
  tables?: Record<string, { rows: number }>;
  options?: Record<string, unknown>;
  /** The text is a schema file (a migration): rules judge its DDL against the schema. */
  schemaFile?: boolean;
}

/** Only `rule` on, with its options. */
function only(rule: string, options?: Record<string, unknown>) {
  return Object.fromEntries(rules.map((r) => [r.name, r.name === rule ? (options ? ['warn', options] : 'warn') : 'off'])) as never;
}

export function diagnostics(rule: string, sql: string, o: RunOptions = {}): Diagnostic[] {
  const dialect = o.dialect ?? 'postgresql';
  const schema = o.ddl === undefined ? undefined : loadSchema([{ path: 'schema.sql', text: o.ddl }], dialect, o.tables ? { tables: o.tables } : {});
  const res = analyze(sql, { dialect, rules: only(rule, o.options), diagnosticsOnly: true, ...(schema ? { schema } : {}), ...(o.schemaFile ? { schemaFile: true } : {}) });
  const errors = res.statements.filter((s) => s.error).map((s) => s.error);
  if (errors.length) throw new Error(`does not parse in ${dialect}: ${JSON.stringify(errors)}`);
  return res.diagnostics.filter((d) => d.ruleId === rule);
}

/** Each finding as `line:column-endLine:endColumn message` (1-based, end exclusive). */
export function findings(rule: string, sql: string, o: RunOptions = {}): string[] {
  const starts = lineStarts(sql);
  return diagnostics(rule, sql, o).map((d) => {
    const a = toLineCol(starts, d.start);
    const b = toLineCol(starts, d.end);
    return `${a.line}:${a.column}-${b.line}:${b.column} ${d.message}`;
  });
}

/** Each finding as the text it covers. */
export function marked(rule: string, sql: string, o: RunOptions = {}): string[] {
  return diagnostics(rule, sql, o).map((d) => sql.slice(d.start, d.end));
}

/** The text after applying every finding's fix (null for a finding without one), and whether each fix is safe. */
export function fixedText(rule: string, sql: string, o: RunOptions = {}): Array<{ output: string; safe: boolean; description: string } | null> {
  return diagnostics(rule, sql, o).map((d) => (d.fix ? { output: applyFixes(sql, [d.fix]).output, safe: d.fix.safe, description: d.fix.description } : null));
}

/** How one host rule (JS/TS) runs in the golden tests. */
export interface HostRunOptions {
  /** The file name: its extension picks the parser (default `app.ts`). */
  file?: string;
  dialect?: Dialect;
  options?: Record<string, unknown>;
}

/**
 * One rule on JS/TS code, through the CLI's in-process pipeline (`lintHostSource`): each finding as
 * `line:column-endLine:endColumn [marked text] message` (1-based, end exclusive). Fails on code that
 * is not valid JS/TS (SQL that does not parse is left to the rule).
 */
export function hostFindings(rule: string, code: string, o: HostRunOptions = {}): string[] {
  const res = lintHostSource(code, o.file ?? 'app.ts', { rules: only(rule, o.options), ...(o.dialect ? { dialect: o.dialect } : {}) });
  const failed = res.diagnostics.filter((d) => d.ruleId === 'parse-error' && d.messageId === 'host');
  if (failed.length) throw new Error(`does not parse: ${failed[0]!.message}`);
  return res.diagnostics.filter((d) => d.ruleId === rule).map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${code.slice(d.start, d.end)}] ${d.message}`);
}
