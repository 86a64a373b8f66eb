import type { Dialect } from './dialect.js';
import type { SqlSite } from './embed/detect.js';
import type { AstNode } from './embed/estree.js';
import type { EmbeddedSql } from './embed/template.js';
import type { Construct } from './model/constructs.js';
import type { Predicate } from './model/predicates.js';
import type { QueryBlock, StatementModel } from './model/types.js';
import type { Range } from './range.js';
import type { Schema } from './schema/types.js';
import type { SqlContext } from './context.js';

export type Category = 'performance' | 'correctness' | 'security';
export type Severity = 'warn' | 'error';
export type SeveritySetting = Severity | 'off';

/** A small JSON-schema subset for rule options (also handed to ESLint as the rule's schema). */
export interface OptionSchema {
  type: 'object';
  properties: Record<string, { type: 'integer' | 'number' | 'boolean' | 'string' | 'array'; minimum?: number; items?: { type: 'string' }; description?: string }>;
  additionalProperties: false;
}

export interface RuleDocs {
  /** Why it is slow or wrong. */
  why: string;
  /** SQL that triggers the rule (a test checks it does). */
  bad: string;
  /** SQL that does not (a test checks it does not). */
  good: string;
  /** Dialect the examples are written in; postgresql when omitted. */
  dialect?: Dialect;
  /** DDL the examples run against, for rules that need a schema. */
  schema?: string;
  /** `host`: the examples are JS/TS code (host rules); `sql` when omitted. */
  language?: 'sql' | 'host';
}

/** One replacement of the text in `range` by `text` (offsets as the finding's). */
export interface TextEdit {
  range: Range;
  text: string;
}

/**
 * A rewrite a rule offers with a finding (src/fix/): edits applied together. `safe`: the result
 * is the same on every database state, so `--fix` and ESLint's fixer may apply it; otherwise it is
 * only offered (an ESLint suggestion; `suggestions` in the CLI's JSON), and `--fix` leaves it.
 */
export interface Fix {
  edits: TextEdit[];
  safe: boolean;
  /** What the rewrite does (the ESLint suggestion's text). */
  description: string;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  messageId: string;
  /** Offsets into the analysed SQL text. */
  start: number;
  end: number;
  category: Category | 'parse';
  /** A rewrite that resolves the finding (src/fix/), in the same offsets as start/end. */
  fix?: Fix;
}

export interface Report<M extends string = string> {
  range: Range;
  /** One of the rule's `messages` keys (checked by the compiler for rules made with defineRule). */
  messageId: M;
  data?: Record<string, string | number>;
  /** Built from the model's ranges, never by searching the text. */
  fix?: Fix;
}

export interface RuleContext<O, M extends string = string> {
  statement: StatementModel;
  /** Every query block of the statement, parents first. */
  blocks: QueryBlock[];
  /** The whole analysed SQL text (offsets in ranges index into it). */
  text: string;
  dialect: Dialect;
  options: O;
  /** Source text of a range. */
  source(range: Range): string;
  predicates(block: QueryBlock): Predicate[];
  report(r: Report<M>): void;
  /** The project's schema (from `AnalyzeOptions.schema`) plus what this text creates; undefined when none was given. */
  schema?: Schema;
}

export interface RuleDefinition<O extends object = Record<string, never>, M extends string = string> {
  /** The one id: file name, fixture folder, ESLint rule `sqlperf/<name>`. */
  name: string;
  category: Category;
  severity: Severity;
  recommended: boolean;
  /** One line, imperative: what the rule disallows. */
  description: string;
  messages: Record<M, string>;
  docs: RuleDocs;
  /**
   * Where the rule applies (see src/context.ts); the engine skips it elsewhere. Default: `app`
   * for performance and security rules, everywhere for correctness rules.
   */
  contexts?: readonly SqlContext[];
  defaultOptions?: O;
  schema?: OptionSchema;
  /** The rule attaches fixes (src/fix/): `fix` safe ones (ESLint `meta.fixable`), `suggestion` only suggestions. */
  fixable?: 'fix' | 'suggestion';
  /**
   * The rule's findings cost in proportion to a table's rows and it asks `mayBeLarge`: front ends
   * give its schema the tables the application queries (`Schema.queried`, src/schema/queried.ts).
   */
  tableSize?: boolean;
  /**
   * The rule reads statements that have no query blocks (CREATE INDEX, ALTER TABLE ... ADD
   * FOREIGN KEY). The engine runs every other rule only on statements with query blocks: most
   * statements of a schema file are DDL, and each rule's check would find nothing there.
   */
  ddl?: boolean;
  /**
   * The constructs the rule reports on (src/model/constructs.ts; `schema`: the analysis has one).
   * The engine calls `check` only for statements that contain at least one of them, so the rule
   * must find nothing in a statement without them (test/rule-constructs.test.ts checks the
   * fixtures). Omitted: the rule runs on every statement.
   */
  constructs?: readonly Construct[];
  check(ctx: RuleContext<O, M>): void;
  /**
   * Host rules only (`defineHostRule`): looks at the JS/TS code around one SQL site. The embed
   * layer runs it for every site of a file, in the CLI and in the ESLint plugin alike.
   */
  checkSite?(site: SqlSite, ctx: HostRuleContext<O, M>): void;
  /**
   * SQL rules with value-side evidence only (`withValueCheck`, src/embed/hole-values.ts): looks at
   * the values the JS/TS code binds to one SQL site's placeholders, run like `checkSite`.
   */
  checkValues?(site: SqlSite, ctx: HostRuleContext<O, M>): void;
  /**
   * Program-wide check (`withValueCheck`): SQL that query builders write from their arguments,
   * with no SQL site (`.where('name', 'ilike', `%${q}%`)`); run once per JS/TS file.
   */
  checkProgram?(program: AstNode, ctx: ProgramContext<O, M>): void;
}

/** What a host rule sees besides the site: the SQL built from it, options, the AST around it. */
export interface HostRuleContext<O, M extends string = string> {
  /** The SQL text built from the site and its hole fills; null when the site was skipped before (a fragment, ClickHouse SQL). */
  embedded: EmbeddedSql | null;
  options: O;
  /** Host source text of a range. */
  source(range: Range): string;
  /** The parent of a host node (the ESTree parent chain). */
  parent(node: AstNode): AstNode | null;
  /** Report in HOST offsets. */
  report(r: Report<M>): void;
  /** The project's schema, when the front end has one (value-side checks apply the SQL side's schema conditions). */
  schema?: Schema;
  /** The site's SQL dialect, as the front end reads the file (MySQL's "..." strings are strings); undefined when not known. */
  dialect?: Dialect;
}

/** What a program-wide check sees: the whole JS/TS file (for SQL that query builders write, with no SQL site). */
export interface ProgramContext<O, M extends string = string> {
  /** The whole host source text (host nodes' ranges index into it). */
  code: string;
  options: O;
  /** The project's dialect, when the front end was given one (the remedy a message names). */
  dialect?: Dialect;
  parent(node: AstNode): AstNode | null;
  source(range: Range): string;
  /** Report in HOST offsets. */
  report(r: Report<M>): void;
}

/**
 * A rule about the JS/TS code that holds the SQL (how it is built, where it runs) rather than the
 * SQL itself. Same metadata as a core rule, so the README table, `sqlperf rules`, the config and
 * the ESLint adapter treat it like any other rule; its SQL `check` does nothing.
 */
export function defineHostRule<O extends object = Record<string, never>, M extends string = string>(rule: Omit<RuleDefinition<O, M>, 'check' | 'checkSite'> & { checkSite(site: SqlSite, ctx: HostRuleContext<O, M>): void }): RuleDefinition<O, M> {
  return { ...rule, docs: { ...rule.docs, language: 'host' }, check() {} };
}

export function isHostRule(rule: { checkSite?: unknown }): boolean {
  return typeof rule.checkSite === 'function';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<any, any>;

/** `M`, the message ids, is inferred from `messages`: a report with another id does not compile. */
export function defineRule<O extends object = Record<string, never>, M extends string = string>(rule: RuleDefinition<O, M>): RuleDefinition<O, M> {
  return rule;
}

/** Fills `{{name}}` placeholders, as ESLint does. */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (data && k in data ? String(data[k]) : m));
}
