/**
 * The one adapter from sqlperf's core rules to ESLint rules. Every core rule becomes
 * `sqlperf/<name>` with the same description, messages, schema and defaults; `sqlperf/parse-error`
 * reports SQL that does not parse and directives naming unknown rules. The metadata lives only in
 * rules/*.ts.
 *
 * The plugin does not rebuild the JS/TS pipeline: it hands ESLint's program and source to the
 * core's `lintProgram` (src/embed/index.ts), which the CLI runs on oxc-parser's program, so both
 * front ends report the same findings, directives included. The sites are found during ESLint's own
 * traversal (the core's `siteDetector`, driven by listeners: no second walk of the tree), and the
 * findings reported at `Program:exit`. Work is shared across rules: each file
 * is linted once per (settings) with the rules on for it at their defaults; a rule configured with
 * other options gets its own run (cached too).
 *
 * `@typescript-eslint/utils` is imported for its types only: loading it costs 100–150 ms.
 */
import path from 'node:path';
import type { TSESLint } from '@typescript-eslint/utils';
import { rules as coreRules } from '../rules/index.js';
import { analyze } from '../src/analyze.js';
import type { RulesConfig } from '../src/config/rules-config.js';
import type { Dialect } from '../src/dialect.js';
import { DETECTED_NODE_TYPES, lintProgram, programMayHoldSql, siteDetector, type SiteDetector } from '../src/embed/index.js';
import type { Schema } from '../src/schema/types.js';
import { schemaAppliesTo } from '../src/schema/scope.js';
import { schemaFor, withQueriedTables, type SchemaSetting } from './schema.js';
import { checkSettings } from './settings.js';
import type { AnyRule, Diagnostic } from '../src/rule.js';
import { contextOf, dialectFromPath, type ContextGlobs, type SqlContext } from '../src/context.js';
import { ruleDocsUrl } from '../src/docs-url.js';
import { DIRECTIVE_IDS } from '../src/directives.js';

// docs/rules/<id>.md, generated from the rule metadata (src/docs-url.ts: absolute once package.json names a repository)
const docsUrl = (name: string) => ruleDocsUrl(name);

type Context = Readonly<TSESLint.RuleContext<string, unknown[]>>;

export interface SqlperfSettings {
  dialect?: string;
  tags?: string[];
  callees?: string[];
  /** DDL files or folders of the schema (relative to ESLint's cwd), or true to find migrations as the CLI does. */
  schema?: SchemaSetting;
  /** Table sizes, as the CLI's config `tables`: `{ orders: { rows: 50000000 } }`. */
  tables?: Record<string, { rows?: number }>;
  /** Where code runs, by globs relative to ESLint's cwd (as the CLI's config `contexts`). */
  contexts?: ContextGlobs;
}

interface FileCache {
  /** What `settings` were computed from: the same for every rule of one lint of the file. */
  from: { raw: unknown; cwd: string; filename: string };
  settings: FileSettings;
  settingsKey: string;
  /** analysis key -> host diagnostics of the file */
  results: Map<string, Diagnostic[]>;
  /** The core's site detection of a JS/TS file, driven by ESLint's traversal (see `listenersFor`). */
  detector?: SiteDetector;
  /** The sqlperf rules ESLint created for the file (all are created before the traversal). */
  enabled: Set<string>;
}

const files = new WeakMap<object, FileCache>();

/** The root of a `.sql` file under the `sqlperf/sql` language (language.ts). */
function isSqlRoot(ast: object): boolean {
  return (ast as { sqlperfSql?: boolean }).sqlperfSql === true;
}

interface FileSettings {
  dialect: Dialect;
  tags?: string[];
  callees?: string[];
  schema?: Schema;
  context: SqlContext;
}

function settingsOf(context: Context): FileSettings {
  // validated (settings.ts): a wrong value is dropped here and reported by sqlperf/parse-error
  const s = checkSettings((context.settings as Record<string, unknown>).sqlperf);
  const dialect = s.dialect ?? 'postgresql';
  const globs = s.contexts;
  const loaded = schemaFor(context.cwd, s.schema, dialect, s.tables);
  const found = loaded && schemaAppliesTo(loaded, context.filename) ? loaded : undefined;
  const evidence = { dialect, ...(globs ? { contexts: { base: context.cwd, globs } } : {}), ...(Array.isArray(s.tags) ? { tags: s.tags } : {}), ...(Array.isArray(s.callees) ? { callees: s.callees } : {}) };
  const schema = found && idOf(withQueriedTables(found, context.cwd, evidence));
  const where = contextOf(context.filename, globs ? { base: context.cwd, globs } : undefined);
  return { dialect, ...(Array.isArray(s.tags) ? { tags: s.tags } : {}), ...(Array.isArray(s.callees) ? { callees: s.callees } : {}), ...(schema ? { schema } : {}), context: where };
}

/**
 * The rules of a file's shared run: those ESLint created for the file (the others' findings would
 * be dropped) at their defaults, or every rule when `unused-directive` is on (a directive is unused
 * when no rule needs it). Or only `rule`, with `options`. One object per set: the core resolves a
 * config once per object.
 */
function configFor(rule: AnyRule | null, options: Record<string, unknown> | null, enabled: ReadonlySet<string>): { rules: RulesConfig; ruleSet?: readonly AnyRule[] } {
  if (rule && options) return { rules: { [rule.name]: ['warn', options], 'parse-error': 'error' }, ruleSet: [rule] };
  const all = enabled.has(DIRECTIVE_IDS.unused);
  const on = all ? coreRules : coreRules.filter((r) => enabled.has(r.name));
  const key = all ? '*' : on.map((r) => r.name).join(',');
  let config = sharedConfigs.get(key);
  if (!config) {
    // parse errors and unused directives are computed on every run (the embedding reads the first); the rules decide what shows
    const rules: RulesConfig = { 'parse-error': 'error', [DIRECTIVE_IDS.unused]: 'warn' };
    for (const r of coreRules) rules[r.name] = all || enabled.has(r.name) ? 'warn' : 'off';
    config = { rules };
    sharedConfigs.set(key, config);
  }
  return config;
}
const sharedConfigs = new Map<string, { rules: RulesConfig }>();

function sameOptions(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A stable id per loaded schema object, so the per-file cache notices a reloaded schema. */
const schemaIds = new WeakMap<Schema, number>();
let nextSchemaId = 0;
function idOf(schema: Schema): Schema {
  if (!schemaIds.has(schema)) schemaIds.set(schema, ++nextSchemaId);
  return schema;
}

/** Runs the core on one file: `analyze` for a `.sql` file, the JS/TS pipeline for anything else. */
function lintFile(context: Context, file: FileCache, config: { rules: RulesConfig; ruleSet?: readonly AnyRule[] }): Diagnostic[] {
  const settings = file.settings;
  const sourceCode = context.sourceCode;
  const ast = sourceCode.ast as unknown as object;
  if (isSqlRoot(ast)) {
    // a migration of the schema itself is not checked against the final schema (as in the CLI)
    const schemaFile = Boolean(settings.schema?.files.includes(path.relative(context.cwd, context.filename).split(path.sep).join('/')));
    // a folder that names its dialect (`db/sqlite/`) is read in it, as in the CLI; ClickHouse is not read
    const fromPath = dialectFromPath(context.filename, context.cwd);
    if (fromPath === 'clickhouse') return [];
    return analyze(sourceCode.text, { dialect: fromPath ?? settings.dialect, diagnosticsOnly: true, ...config, context: settings.context, ...(settings.schema ? { schema: settings.schema, schemaFile } : {}) }).diagnostics;
  }
  // ESLint's Program is the TS-ESTree tree lintProgram reads (src/embed/estree.ts bridges oxc's to it)
  // a file whose name or folder names a dialect (`kv-sqlite.ts`, `migrations/mysql/`), as in the CLI
  const named = dialectFromPath(context.filename, context.cwd);
  return lintProgram(sourceCode.ast, sourceCode.text, { dialect: named === 'clickhouse' || !named ? settings.dialect : named, ...(named ? { dialectStated: true } : {}), ...config, context: settings.context, filePath: context.filename, ...(settings.tags ? { tags: settings.tags } : {}), ...(settings.callees ? { callees: settings.callees } : {}), ...(settings.schema ? { schema: settings.schema } : {}), ...(file.detector ? { sites: file.detector.finish() } : {}) }).diagnostics;
}

/**
 * The file's entry in the shared cache. Every sqlperf rule asks for it once per file; the settings
 * are computed by the first (they stat the schema files) and reused by the others.
 */
function fileCacheOf(context: Context): FileCache {
  const ast = context.sourceCode.ast as unknown as object;
  const from = { raw: context.settings, cwd: context.cwd, filename: context.filename };
  let file = files.get(ast);
  if (file && file.from.raw === from.raw && file.from.cwd === from.cwd && file.from.filename === from.filename) return file;
  const settings = settingsOf(context);
  const settingsKey = JSON.stringify({ ...settings, schema: settings.schema ? schemaIds.get(settings.schema) : null });
  if (file && file.settingsKey === settingsKey) {
    file.from = from;
    return file;
  }
  file = { from, settings, settingsKey, results: new Map(), enabled: new Set() };
  files.set(ast, file);
  return file;
}

/**
 * Whether a file can give a sqlperf finding: a `.sql` file, or JS/TS whose text passes the core's
 * prefilter (`programMayHoldSql`, as in `lintProgram`). Most files of a project hold no SQL: their
 * rules return no listeners, so ESLint neither registers nor calls ~30 of them per file.
 */
export function mayReport(context: Context): boolean {
  const ast = context.sourceCode.ast as unknown as object;
  const known = prefiltered.get(ast);
  if (known && known.raw === context.settings) return known.may;
  // tags and callees only (validated once per settings object): the rest of a file's settings (its context, the schema) waits until it may report
  const { tags, callees } = checkSettings((context.settings as Record<string, unknown>).sqlperf);
  const may = isSqlRoot(ast) || programMayHoldSql(context.sourceCode.text, { ...(Array.isArray(tags) ? { tags } : {}), ...(Array.isArray(callees) ? { callees } : {}) });
  prefiltered.set(ast, { raw: context.settings, may });
  return may;
}
/** Each tree's answer, with the settings it was computed for. */
const prefiltered = new WeakMap<object, { raw: unknown; may: boolean }>();

/**
 * A sqlperf rule's listeners on a file that may report: `onExit` at `Program:exit` (its findings),
 * and, on the first rule created for a JS/TS file, listeners that drive the core's site detection
 * (`siteDetector`, the one the CLI drives with its own walk) from ESLint's traversal, so that no
 * rule walks the tree a second time. The findings need every site, hence `Program:exit`.
 */
function listenersFor(context: Context, name: string, onExit: () => void): TSESLint.RuleListener {
  const file = fileCacheOf(context);
  file.enabled.add(name);
  const listeners: Record<string, (node: never) => void> = { 'Program:exit': onExit };
  const { ast, text } = context.sourceCode;
  if (file.detector || isSqlRoot(ast as unknown as object)) return listeners;
  const { tags, callees } = file.settings;
  const detector = siteDetector(ast, text, { ...(tags ? { tags } : {}), ...(callees ? { callees } : {}) });
  file.detector = detector;
  const visit = (node: never) => detector.visitLinked(node);
  for (const type of DETECTED_NODE_TYPES) listeners[type] = visit;
  return listeners;
}

/** Host diagnostics of a file for a rule, from the shared cache. */
function diagnosticsFor(context: Context, rule: AnyRule | null, options: Record<string, unknown>): Diagnostic[] {
  const file = fileCacheOf(context);
  const custom = rule && !sameOptions(options, rule.defaultOptions ?? {}) ? options : null;
  const key = custom && rule ? `${rule.name}:${JSON.stringify(custom)}` : '*';
  let out = file.results.get(key);
  if (!out) {
    out = lintFile(context, file, configFor(custom ? rule : null, custom, file.enabled));
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
      const name = /^\{\{\s*(\w+)\s*\}\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (names.includes(name)) return `\\k<${name}>`;
      names.push(name);
      return `(?<${name}>[\\s\\S]*?)`;
    })
    .join('');
  const match = new RegExp(`^${pattern}$`).exec(message);
  if (!match) return undefined;
  return { ...(match.groups ?? {}) };
}

function report(context: Context, d: Diagnostic, messages: Record<string, string>): void {
  const sourceCode = context.sourceCode;
  const loc = { start: sourceCode.getLocFromIndex(d.start), end: sourceCode.getLocFromIndex(d.end) };
  const template = messages[d.messageId];
  const data = template === undefined ? undefined : dataFromMessage(template, d.message);
  if (template !== undefined && data) {
    context.report({ loc, messageId: d.messageId, data, ...fixOf(d) });
  } else {
    // a message the rule does not declare (an internal error): report its text as it is
    context.report({ loc, messageId: 'raw', data: { message: d.message } });
  }
}

/** A finding's fix (src/fix/) for ESLint: a safe one as `fix`, the others as a suggestion. */
function fixOf(d: Diagnostic): { fix?: TSESLint.ReportFixFunction; suggest?: TSESLint.ReportSuggestionArray<string> } {
  const f = d.fix;
  if (!f) return {};
  const fix: TSESLint.ReportFixFunction = (fixer) => f.edits.map((e) => fixer.replaceTextRange([e.range.start, e.range.end], e.text));
  // `desc`, which ESLint takes in place of a messageId, keeps meta.messages the rule's own
  return f.safe ? { fix } : { suggest: [{ desc: f.description, fix } as unknown as TSESLint.ReportSuggestionArray<string>[number]] };
}

export const PARSE_ERROR_MESSAGES = {
  syntax: '{{message}}',
  raw: '{{message}}',
};

/** The user's options over the rule's defaults (every core rule's options are one flat object). */
function optionsOf(context: Context, defaults: Record<string, unknown>): Record<string, unknown> {
  const given = context.options[0];
  return given && typeof given === 'object' ? { ...defaults, ...(given as Record<string, unknown>) } : defaults;
}

function toEslintRule(rule: AnyRule): TSESLint.RuleModule<string, unknown[]> {
  const defaults = (rule.defaultOptions ?? {}) as Record<string, unknown>;
  return {
    meta: {
      type: rule.category === 'correctness' || rule.category === 'security' ? 'problem' : 'suggestion',
      docs: { description: rule.description, url: docsUrl(rule.name) },
      messages: { ...rule.messages, raw: '{{message}}' },
      schema: rule.schema ? [rule.schema as never] : [],
      ...(rule.fixable === 'fix' ? { fixable: 'code' as const } : rule.fixable === 'suggestion' ? { hasSuggestions: true } : {}),
    },
    defaultOptions: [defaults],
    create(context) {
      if (!mayReport(context)) return {};
      return listenersFor(context, rule.name, () => {
        for (const d of diagnosticsFor(context, rule, optionsOf(context, defaults))) if (d.ruleId === rule.name) report(context, d, rule.messages);
      });
    },
  };
}

const parseErrorRule: TSESLint.RuleModule<string, unknown[]> = {
  meta: {
    type: 'problem',
    docs: { description: 'Report SQL that does not parse', url: docsUrl('parse-error') },
    messages: PARSE_ERROR_MESSAGES,
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (!mayReport(context)) return {};
    return listenersFor(context, 'parse-error', () => {
      for (const d of diagnosticsFor(context, null, {})) {
        if (d.ruleId !== 'parse-error') continue;
        const sourceCode = context.sourceCode;
        context.report({ loc: { start: sourceCode.getLocFromIndex(d.start), end: sourceCode.getLocFromIndex(d.end) }, messageId: 'syntax', data: { message: d.message } });
      }
    });
  },
};

/**
 * `sqlperf/invalid-directive` and `sqlperf/unused-directive`: the CLI's ids for the same problems
 * with `sqlperf-disable*` comments (src/directives.ts), so a bad directive has one name everywhere.
 * The analysis runs with every rule on, so "unused" means unused by any sqlperf rule.
 */
function directiveRule(id: string, description: string): TSESLint.RuleModule<string, unknown[]> {
  return {
    meta: { type: 'problem', docs: { description, url: docsUrl(id) }, messages: { [id === DIRECTIVE_IDS.invalid ? 'unknownRule' : 'unused']: '{{message}}' }, schema: [] },
    defaultOptions: [],
    create(context) {
      if (!mayReport(context)) return {};
      return listenersFor(context, id, () => {
        for (const d of diagnosticsFor(context, null, {})) {
          if (d.ruleId !== id) continue;
          const sourceCode = context.sourceCode;
          context.report({ loc: { start: sourceCode.getLocFromIndex(d.start), end: sourceCode.getLocFromIndex(d.end) }, messageId: d.messageId, data: { message: d.message } });
        }
      });
    },
  };
}

/** `sqlperf/<name>` for every core rule, plus `parse-error` and the two directive rules. */
export function toEslintRules(): Record<string, TSESLint.RuleModule<string, unknown[]>> {
  const out: Record<string, TSESLint.RuleModule<string, unknown[]>> = {};
  for (const r of coreRules) out[r.name] = toEslintRule(r);
  out['parse-error'] = parseErrorRule;
  out[DIRECTIVE_IDS.invalid] = directiveRule(DIRECTIVE_IDS.invalid, 'Report sqlperf-disable directives that name no sqlperf rule');
  out[DIRECTIVE_IDS.unused] = directiveRule(DIRECTIVE_IDS.unused, 'Report sqlperf-disable directives that suppress nothing');
  return out;
}
