/**
 * The one adapter from sqlperf's core rules to ESLint rules. Every core rule becomes
 * `sqlperf/<name>` with the same description, messages, schema and defaults; `sqlperf/parse-error`
 * reports SQL that does not parse. The metadata lives only in rules/*.ts.
 *
 * Work is shared across rules: the SQL sites of a file are found once per AST, and each site is
 * analysed once per (dialect, settings) with every rule at its default options; a rule configured
 * with other options gets its own analysis of that site (cached too).
 */
import path from 'node:path';
import { ESLintUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { rules as coreRules } from '../rules/index.js';
import { analyze } from '../src/analyze.js';
import type { RulesConfig } from '../src/config/rules-config.js';
import type { Dialect } from '../src/dialect.js';
import type { Suppressor } from '../src/directives.js';
import { analyzeSite, DEFAULT_CALLEES, DEFAULT_TAGS, findSqlSites, hostSuppressor, programChecks, type EsProgram, type SqlSite } from '../src/embed/index.js';
import { mayHoldSql } from '../src/embed/prefilter.js';
import { mayHoldBuilderQueries } from '../src/embed/builder-prefilter.js';
import type { Schema } from '../src/schema/types.js';
import { schemaFor, type SchemaSetting } from './schema.js';
import { checkSettings } from './settings.js';
import type { AnyRule, Diagnostic } from '../src/rule.js';
import { contextOf, dialectFromPath, type ContextGlobs, type SqlContext } from '../src/context.js';

const createRule = ESLintUtils.RuleCreator((name) => `https://github.com/sqlperf/sqlperf/blob/main/docs/rules/${name}.md`);

export interface SqlperfSettings {
  dialect?: string;
  tags?: string[];
  callees?: string[];
  /** DDL files or folders of the schema (relative to ESLint's cwd), or true to find migrations as the CLI does. */
  schema?: SchemaSetting;
  /** Where code runs, by globs relative to ESLint's cwd (as the CLI's config `contexts`). */
  contexts?: ContextGlobs;
}

interface FileCache {
  settingsKey: string;
  sites: SqlSite[];
  suppressor: Suppressor;
  /** analysis key -> host diagnostics of every site */
  results: Map<string, Diagnostic[]>;
}

const files = new WeakMap<object, FileCache>();

/** The root of a `.sql` file under the `sqlperf/sql` language (language.ts). */
function isSqlRoot(ast: object): boolean {
  return (ast as { sqlperfSql?: boolean }).sqlperfSql === true;
}

function settingsOf(context: Readonly<TSESLint.RuleContext<string, unknown[]>>): { dialect: Dialect; tags?: string[]; callees?: string[]; schema?: Schema; context: SqlContext } {
  // validated (settings.ts): a wrong value is dropped here and reported by sqlperf/parse-error
  const s = checkSettings((context.settings as Record<string, unknown>).sqlperf);
  const dialect = s.dialect ?? 'postgresql';
  const found = schemaFor(context.cwd, s.schema, dialect);
  const schema = found && idOf(found);
  const globs = s.contexts;
  const where = contextOf(context.filename, globs ? { base: context.cwd, globs } : undefined);
  return { dialect, ...(Array.isArray(s.tags) ? { tags: s.tags } : {}), ...(Array.isArray(s.callees) ? { callees: s.callees } : {}), ...(schema ? { schema } : {}), context: where };
}

/** Every rule on at its defaults (or only `rule`, with `options`). */
function configFor(rule: AnyRule | null, options: Record<string, unknown> | null): { rules: RulesConfig; ruleSet?: readonly AnyRule[] } {
  if (rule && options) return { rules: { [rule.name]: ['warn', options], 'parse-error': 'error' }, ruleSet: [rule] };
  const rules: RulesConfig = { 'parse-error': 'error' };
  for (const r of coreRules) rules[r.name] = 'warn';
  return { rules };
}

function sameOptions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A stable id per loaded schema object, so the per-file cache notices a reloaded schema. */
const schemaIds = new WeakMap<Schema, number>();
let nextSchemaId = 0;
function idOf(schema: Schema): Schema {
  if (!schemaIds.has(schema)) schemaIds.set(schema, ++nextSchemaId);
  return schema;
}

/** Host diagnostics of a file for a rule, from the shared cache. */
function diagnosticsFor(context: Readonly<TSESLint.RuleContext<string, unknown[]>>, rule: AnyRule | null, options: Record<string, unknown>): Diagnostic[] {
  const sourceCode = context.sourceCode;
  const ast = sourceCode.ast as unknown as object;
  const settings = settingsOf(context);
  const settingsKey = JSON.stringify({ ...settings, schema: settings.schema ? schemaIds.get(settings.schema) : null });
  let file = files.get(ast);
  if (!file || file.settingsKey !== settingsKey) {
    const isSql = isSqlRoot(ast);
    const comments = isSql ? [] : (sourceCode.ast as TSESTree.Program).comments ?? [];
    // most files of a project hold no SQL: a text test spares them the walk over their AST
    const mayHold = !isSql && mayHoldSql(sourceCode.text, settings.tags ?? DEFAULT_TAGS, settings.callees ?? DEFAULT_CALLEES);
    const sites = mayHold ? findSqlSites(ast as unknown as EsProgram, sourceCode.text, settings) : [];
    file = { settingsKey, sites, suppressor: hostSuppressor(sourceCode.text, comments as never), results: new Map() };
    files.set(ast, file);
  }
  const custom = rule && !sameOptions(options, rule.defaultOptions ?? {}) ? options : null;
  const key = custom ? `${rule!.name}:${JSON.stringify(custom)}` : '*';
  let out = file.results.get(key);
  if (!out) {
    const config = configFor(custom ? rule : null, custom);
    out = [];
    if (isSqlRoot(ast)) {
      // a migration of the schema itself is not checked against the final schema (as in the CLI)
      const schemaFile = Boolean(settings.schema?.files.includes(path.relative(context.cwd, context.filename).split(path.sep).join('/')));
      // a folder that names its dialect (`db/sqlite/`) is read in it, as in the CLI; ClickHouse is not read
      const fromPath = dialectFromPath(context.filename, context.cwd);
      if (fromPath !== 'clickhouse') out = analyze(sourceCode.text, { dialect: fromPath ?? settings.dialect, ...config, context: settings.context, ...(settings.schema ? { schema: settings.schema, schemaFile } : {}) }).diagnostics;
    } else {
      for (const site of file.sites) {
        const r = analyzeSite(site, { dialect: settings.dialect, ...config, context: settings.context, ...(settings.schema ? { schema: settings.schema } : {}) });
        for (const d of r.diagnostics) if (!file.suppressor.isSuppressed(d.ruleId, d.start)) out.push(d);
      }
      // only where the CLI's prefilter lets the file through, so both front ends report the same
      if (file.sites.length || mayHoldSql(sourceCode.text, settings.tags ?? DEFAULT_TAGS, settings.callees ?? DEFAULT_CALLEES) || mayHoldBuilderQueries(sourceCode.text)) {
        for (const d of programChecks(ast as unknown as EsProgram, sourceCode.text, config.rules, settings.context, config.ruleSet)) if (!file.suppressor.isSuppressed(d.ruleId, d.start)) out.push(d);
      }
    }
    file.results.set(key, out);
  }
  return out;
}

/** Recovers a message's `{{data}}` from its formatted text, so ESLint can format it from messageId + data. */
export function dataFromMessage(template: string, message: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{\{\s*\w+\s*\}\})/)
    .map((part) => {
      const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (names.includes(m[1]!)) return `\\k<${m[1]}>`;
      names.push(m[1]!);
      return `(?<${m[1]}>[\\s\\S]*?)`;
    })
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(message);
  if (!match) return undefined;
  return { ...(match.groups ?? {}) };
}

function report(context: Readonly<TSESLint.RuleContext<string, unknown[]>>, d: Diagnostic, messages: Record<string, string>): void {
  const sourceCode = context.sourceCode;
  const loc = { start: sourceCode.getLocFromIndex(d.start), end: sourceCode.getLocFromIndex(d.end) };
  const template = messages[d.messageId];
  const data = template === undefined ? undefined : dataFromMessage(template, d.message);
  if (template !== undefined && data) {
    context.report({ loc, messageId: d.messageId, data });
  } else {
    // a message the rule does not declare (an internal error): report its text as it is
    context.report({ loc, messageId: 'raw', data: { message: d.message } });
  }
}

export const PARSE_ERROR_MESSAGES = {
  syntax: '{{message}}',
  raw: '{{message}}',
};

function toEslintRule(rule: AnyRule) {
  const defaults = (rule.defaultOptions ?? {}) as Record<string, unknown>;
  return createRule<[Record<string, unknown>], string>({
    name: rule.name,
    meta: {
      type: rule.category === 'correctness' || rule.category === 'security' ? 'problem' : 'suggestion',
      docs: { description: rule.description },
      messages: { ...rule.messages, raw: '{{message}}' },
      schema: rule.schema ? [rule.schema as never] : [],
    },
    defaultOptions: [defaults],
    create(context, [options]) {
      return {
        Program() {
          for (const d of diagnosticsFor(context, rule, options ?? defaults)) if (d.ruleId === rule.name) report(context, d, rule.messages);
        },
      };
    },
  });
}

const parseErrorRule = createRule<[], string>({
  name: 'parse-error',
  meta: {
    type: 'problem',
    docs: { description: 'Report embedded SQL that does not parse, and sqlperf directives naming unknown rules' },
    messages: PARSE_ERROR_MESSAGES,
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      Program() {
        for (const d of diagnosticsFor(context, null, {})) {
          if (d.ruleId !== 'parse-error' && d.ruleId !== 'invalid-directive') continue;
          const sourceCode = context.sourceCode;
          context.report({ loc: { start: sourceCode.getLocFromIndex(d.start), end: sourceCode.getLocFromIndex(d.end) }, messageId: 'syntax', data: { message: d.message } });
        }
      },
    };
  },
});

/** `sqlperf/<name>` for every core rule, plus `parse-error`. */
export function toEslintRules(): Record<string, TSESLint.RuleModule<string, unknown[]>> {
  const out: Record<string, TSESLint.RuleModule<string, unknown[]>> = {};
  for (const r of coreRules) out[r.name] = toEslintRule(r) as unknown as TSESLint.RuleModule<string, unknown[]>;
  out['parse-error'] = parseErrorRule as unknown as TSESLint.RuleModule<string, unknown[]>;
  return out;
}
