import type { ParsedStatement } from '../parse/index.js';
import { buildNspModel } from './nsp-builder.js';
import { buildPgModel } from './pg-builder.js';
import type { StatementModel } from './types.js';

/** The query model of a parsed statement; null when neither builder models it. */
export function buildModel(stmt: ParsedStatement, text: string): StatementModel | null {
  if (stmt.parser === 'pg') return buildPgModel(stmt, text);
  if (stmt.parser === 'nsp') return buildNspModel(stmt, text);
  return null;
}
