import type { Dialect } from './dialect.js';
import { predicatesOf } from './model/predicates.js';
import type { StatementModel } from './model/types.js';
import type { Range } from './range.js';
import type { AnyRule, Report, RuleContext } from './rule.js';
import type { Schema } from './schema/types.js';

/** What a rule reads about one statement. */
export interface CheckInput {
  model: StatementModel;
  text: string;
  dialect: Dialect;
  schema?: Schema | undefined;
}

/**
 * The context the rules read for one statement. Every field is written, in one order, so it has
 * one shape; the engine makes one per statement and sets `options` for each rule in turn (a
 * context and two closures per rule and statement were a fifth of the analysis' garbage).
 */
export function statementContext(input: CheckInput, report: (r: Report) => void): RuleContext<object> {
  const { model, text, dialect, schema } = input;
  return { statement: model, blocks: model.blocks, text, dialect, options: {}, source: (r: Range) => text.slice(r.start, r.end), predicates: predicatesOf, report, schema };
}

/**
 * Runs one rule's SQL check on one statement. The engine (analyze) and the cost model both check
 * through a statementContext, so a cost factor that belongs to a rule is decided by that rule's own code.
 */
export function checkRule(rule: AnyRule, input: CheckInput, options: object, report: (r: Report) => void): void {
  const ctx = statementContext(input, report);
  ctx.options = options;
  rule.check(ctx);
}
