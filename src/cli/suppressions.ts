/**
 * Bulk suppressions, as ESLint 9.24+ does them (`eslint-suppressions.json`): a baseline file of
 * counts per file and rule, so a team turns sqlperf on over existing findings and CI fails only on
 * new ones. The file maps a path relative to the working directory (POSIX separators) to rule ids
 * and counts: `{ "db/report.sql": { "no-select-star": { "count": 2 } } }`.
 *
 * The semantics are ESLint's, so that users meet what they know:
 * - while a file has at most `count` findings of a rule, they are all suppressed; with more, every
 *   one of them is reported (counts cannot tell which findings are the new ones);
 * - a count above what a linted file now has is an unused suppression; files not linted in this
 *   run are left alone (pre-commit lints the staged files only);
 * - `--prune-suppressions` lowers counts to what remains and drops entries of fixed findings and
 *   of files that no longer exist.
 * One difference: warnings are suppressed too, not only errors. Most sqlperf rules warn, and
 * `--max-warnings 0` is how teams make them fail CI.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { writeAtomic } from './output.js';
import { makeResult, type LintMessage, type LintResult } from './types.js';
import { errorCode, errorMessage } from '../error-message.js';

export const DEFAULT_SUPPRESSIONS_FILE = 'sqlperf-suppressions.json';

/** path (relative, POSIX) -> rule id -> count */
export type Suppressions = Record<string, Record<string, { count: number }>>;

/** Where the file is: `--suppressions-location` (a file, or an existing folder to hold the default name), else the default in `cwd`. */
export function suppressionsPath(cwd: string, location: string | undefined): string {
  if (!location) return path.join(cwd, DEFAULT_SUPPRESSIONS_FILE);
  const abs = path.resolve(cwd, location);
  return existsSync(abs) && statSync(abs).isDirectory() ? path.join(abs, DEFAULT_SUPPRESSIONS_FILE) : abs;
}

/** Reads and checks the file; a missing file is an empty baseline, a damaged one a usage error naming the fix. */
export function loadSuppressions(file: string): Suppressions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return {};
    throw new UsageError(`cannot read suppressions file ${file}: ${errorMessage(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`suppressions file ${file} is not valid JSON (${errorMessage(e)}); fix it or write it again with --suppress-all`);
  }
  const shape = '{ "<file>": { "<rule>": { "count": <n> } } }';
  if (!isObject(raw)) throw new UsageError(`suppressions file ${file} must be an object ${shape}`);
  // no prototype: a file or rule named `__proto__` is data
  const out = Object.create(null) as Suppressions;
  for (const [f, rules] of Object.entries(raw)) {
    if (!isObject(rules)) throw new UsageError(`suppressions file ${file}: "${f}" must be an object of rule ids, as in ${shape}`);
    out[f] = Object.create(null) as Record<string, { count: number }>;
    for (const [rule, entry] of Object.entries(rules)) {
      const count = isObject(entry) ? entry.count : undefined;
      if (!Number.isInteger(count) || (count as number) < 1) throw new UsageError(`suppressions file ${file}: "${f}" → "${rule}" must be { "count": <whole number ≥ 1> } (got ${JSON.stringify(entry)})`);
      out[f]![rule] = { count: count as number };
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sorted keys and two-space indentation, so the file diffs cleanly in review. */
export async function saveSuppressions(file: string, s: Suppressions): Promise<void> {
  const sorted: Suppressions = {};
  for (const f of Object.keys(s).sort()) {
    const rules = Object.keys(s[f]!).sort();
    if (rules.length) sorted[f] = Object.fromEntries(rules.map((r) => [r, { count: s[f]![r]!.count }]));
  }
  try {
    await writeAtomic(file, `${JSON.stringify(sorted, null, 2)}\n`);
  } catch (e) {
    throw new UsageError(`cannot write suppressions file ${file}: ${errorMessage(e)}`);
  }
}

export function relativeKey(cwd: string, filePath: string): string {
  return path.relative(cwd, filePath).split(path.sep).join('/');
}

/** Findings per rule; a problem with the file itself (no rule id) is never suppressed. */
function countByRule(messages: readonly LintMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.ruleId && !m.fatal) counts.set(m.ruleId, (counts.get(m.ruleId) ?? 0) + 1);
  return counts;
}

/** `--suppress-all` (no `rules`) or `--suppress-rule`: each linted file's count of those rules becomes its baseline. */
export function addSuppressions(s: Suppressions, results: readonly LintResult[], cwd: string, rules?: readonly string[]): Suppressions {
  const out = clone(s);
  for (const r of results) {
    const key = relativeKey(cwd, r.filePath);
    for (const [rule, count] of countByRule(r.messages)) {
      if (rules && !rules.includes(rule)) continue;
      (out[key] ??= Object.create(null) as Record<string, { count: number }>)[rule] = { count };
    }
  }
  return out;
}

export interface Applied {
  results: LintResult[];
  /** What the linted files no longer have: file -> rule -> count left over. */
  unused: Suppressions;
  /** File and rule where findings exceed the baseline (all of them are reported). */
  exceeded: Array<{ file: string; rule: string; found: number; suppressed: number }>;
}

/** Moves the findings the baseline covers to `suppressedMessages`. */
export function applySuppressions(results: readonly LintResult[], s: Suppressions, cwd: string): Applied {
  const unused: Suppressions = {};
  const exceeded: Applied['exceeded'] = [];
  const out = results.map((r) => {
    const key = relativeKey(cwd, r.filePath);
    const base = s[key];
    if (!base) return r;
    const counts = countByRule(r.messages);
    const hidden = new Set<string>();
    for (const [rule, { count }] of Object.entries(base)) {
      const found = counts.get(rule) ?? 0;
      if (found <= count && found > 0) hidden.add(rule);
      if (found > count) exceeded.push({ file: key, rule, found, suppressed: count });
      if (found < count) (unused[key] ??= {})[rule] = { count: count - found };
    }
    if (!hidden.size) return r;
    const kept = makeResult(r.filePath, r.messages.filter((m) => !(m.ruleId && hidden.has(m.ruleId))));
    kept.suppressedMessages = r.messages.filter((m) => m.ruleId && hidden.has(m.ruleId)).map((m) => ({ ...m, suppressions: [{ kind: 'file' as const, justification: '' as const }] }));
    return kept;
  });
  return { results: out, unused, exceeded };
}

/** `--prune-suppressions`: counts lowered to what the linted files still have; entries of missing files dropped. */
export function pruneSuppressions(s: Suppressions, results: readonly LintResult[], cwd: string): Suppressions {
  const out = clone(s);
  const { unused } = applySuppressions(results, s, cwd);
  for (const [file, rules] of Object.entries(unused)) {
    for (const [rule, { count }] of Object.entries(rules)) {
      const entry = out[file]![rule]!;
      if (entry.count <= count) delete out[file]![rule];
      else entry.count -= count;
    }
  }
  for (const file of Object.keys(out)) if (!Object.keys(out[file]!).length || !existsSync(path.resolve(cwd, file))) delete out[file];
  return out;
}

function clone(s: Suppressions): Suppressions {
  const out = Object.create(null) as Suppressions;
  for (const [f, rules] of Object.entries(s)) {
    out[f] = Object.create(null) as Record<string, { count: number }>;
    for (const [r, { count }] of Object.entries(rules)) out[f]![r] = { count };
  }
  return out;
}
