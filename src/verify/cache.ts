import { readFileSync, statSync } from 'node:fs';
import { writeFileSafe } from './cache-write.js';
import type { SchemaProblem } from './load-schema.js';
import type { UnitOutcome } from './report.js';

/** The verify cache: one schema (by hash) and the outcome per query fingerprint. */
export interface CacheFile {
  version: string;
  schema: string;
  /** null until the schema has been loaded once. */
  schemaProblems: SchemaProblem[] | null;
  units: Record<string, UnitOutcome>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOffset = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isString = (v: unknown): v is string => typeof v === 'string';
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);
const STATUSES = new Set(['confirmed', 'corrected', 'added', 'dropped']);
const PROBLEM_IDS = new Set(['rejected', 'extension', 'crash']);

function isAnchor(v: unknown): boolean {
  return v === null || (isObject(v) && isOffset(v.offset) && isString(v.token) && isOffset(v.nth));
}

function isIndexOutcome(v: unknown): boolean {
  return (
    isObject(v) && isString(v.table) && (v.original === null || isString(v.original)) && STATUSES.has(v.status as string) &&
    (v.statement === null || isString(v.statement)) && isString(v.reason) && (v.note === undefined || isString(v.note))
  );
}

/** One cached outcome, checked field by field: wrong types or negative positions drop it (it is verified again). */
export function isUnitOutcome(v: unknown): v is UnitOutcome {
  if (!isObject(v)) return false;
  const e = v.error;
  if (!(e === null || (isObject(e) && isString(e.message) && isString(e.code) && isAnchor(e.anchor)))) return false;
  if (!Array.isArray(v.tables) || !v.tables.every((t) => isObject(t) && isString(t.table) && typeof t.served === 'boolean' && isStrings(t.indexes) && isStrings(t.filters))) return false;
  return Array.isArray(v.indexes) && v.indexes.every(isIndexOutcome) && (v.unverified === undefined || isString(v.unverified));
}

export function isSchemaProblem(v: unknown): v is SchemaProblem {
  return (
    isObject(v) && v.ruleId === 'schema-error' && PROBLEM_IDS.has(v.messageId as string) && (v.severity === 'warn' || v.severity === 'error') &&
    isString(v.file) && isOffset(v.start) && isOffset(v.end) && (v.end as number) >= (v.start as number) && isString(v.message)
  );
}

/**
 * The cache for this schema hash, or undefined (missing, unreadable, not a regular file, other
 * schema or version). Every entry is validated: a damaged one is dropped, never handed on.
 */
export function readCache(path: string, schema: string): CacheFile | undefined {
  try {
    if (!statSync(path).isFile()) return undefined; // a FIFO would block, a device is not a cache
    const c = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!isObject(c) || c.schema !== schema || !isString(c.version) || !isObject(c.units)) return undefined;
    // a map without a prototype: a fingerprint never finds Object's properties
    const units = Object.create(null) as Record<string, UnitOutcome>;
    for (const [k, u] of Object.entries(c.units)) if (isUnitOutcome(u)) units[k] = u;
    const problems = c.schemaProblems;
    // the schema's problems are all or nothing: one damaged entry and the schema is loaded again
    const schemaProblems = Array.isArray(problems) && problems.every(isSchemaProblem) ? problems : null;
    return { version: c.version, schema, schemaProblems, units };
  } catch {
    // no cache yet, or a broken one: start over
  }
  return undefined;
}

/** Writes atomically: a temporary file in the same folder, then a rename over the old one. */
export function writeCache(path: string, cache: CacheFile): void {
  writeFileSafe(path, JSON.stringify(cache), { pipes: 'refuse' });
}
