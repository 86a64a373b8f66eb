import type { Dialect } from './dialect.js';
import type { Predicate } from './model/predicates.js';
import type { QueryBlock, StatementModel } from './model/types.js';
import type { Range } from './range.js';
import type { Schema } from './schema/types.js';

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
}

export interface Report {
  range: Range;
  messageId: string;
  data?: Record<string, string | number>;
}

export interface RuleContext<O> {
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
  report(r: Report): void;
  /** The project's schema (from `AnalyzeOptions.schema`) plus what this text creates; undefined when none was given. */
  schema?: Schema;
}

export interface RuleDefinition<O extends object = Record<string, never>> {
  /** The one id: file name, fixture folder, ESLint rule `sqlperf/<name>`. */
  name: string;
  category: Category;
  severity: Severity;
  recommended: boolean;
  /** One line, imperative: what the rule disallows. */
  description: string;
  messages: Record<string, string>;
  docs: RuleDocs;
  defaultOptions?: O;
  schema?: OptionSchema;
  check(ctx: RuleContext<O>): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<any>;

export function defineRule<O extends object = Record<string, never>>(rule: RuleDefinition<O>): RuleDefinition<O> {
  return rule;
}

/** Fills `{{name}}` placeholders, as ESLint does. */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (data && k in data ? String(data[k]) : m));
}
