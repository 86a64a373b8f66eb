import type { Dialect } from './dialect.js';
import { predicatesOf } from './model/predicates.js';
import type { StatementModel } from './model/types.js';
import type { Range } from './range.js';
import type { AnyRule, Report } from './rule.js';
import type { Schema } from './schema/types.js';

/** What a rule reads about one statement. */
export interface CheckInput {
  model: StatementModel;
  text: string;
  dialect: Dialect;
  schema?: Schema | undefined;
}

/**
 * Runs one rule's SQL check on one statement. The engine (analyze) and the cost model both call
 * it, so a cost factor that belongs to a rule is decided by that rule's own code.
 */
export function checkRule(rule: AnyRule, input: CheckInput, options: object, report: (r: Report) => void): void {
  const { model, text, dialect, schema } = input;
  // every field written, in one order: the context has one shape for every rule and statement (a conditional spread gave each its own)
  rule.check({ statement: model, blocks: model.blocks, text, dialect, options, source: (r: Range) => text.slice(r.start, r.end), predicates: predicatesOf, report, schema });
}
