/**
 * `settings.sqlperf`, checked as strictly as the CLI's config: a value of the wrong type, an
 * unknown dialect (`'constructor'` included: lookups go through maps without a prototype), an
 * unknown key or a glob that does not compile is a problem naming the setting. ESLint never
 * crashes on it: the setting is dropped (its default applies) and `sqlperf/parse-error` reports
 * the problem at the top of every file it lints, where ESLint users see it.
 */
import { detectionLists } from '../src/config/detection-lists.js';
import { tableSizes } from '../src/config/load.js';
import { checkContextGlobs, type ContextGlobs } from '../src/context.js';
import { DIALECTS, normalizeDialect, type Dialect } from '../src/dialect.js';
import { globProblem } from '../src/glob.js';
import type { SchemaSetting } from './schema.js';
import { errorMessage } from '../src/error-message.js';

export interface CheckedSettings {
  dialect?: Dialect;
  /** The tags and callees to detect SQL with: the user's added to the defaults (src/config/detection-lists.ts); absent: the defaults. */
  tags?: string[];
  callees?: string[];
  schema?: SchemaSetting;
  tables?: Record<string, { rows?: number }>;
  contexts?: ContextGlobs;
  /** What is wrong, one sentence per setting; empty when all is well. */
  problems: string[];
}

const KEYS = ['dialect', 'tags', 'callees', 'extendDefaultTags', 'extendDefaultCallees', 'schema', 'tables', 'contexts'];

const show = (v: unknown): string => {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return String(v);
  }
};

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0);

const checked = new WeakMap<object, CheckedSettings>();

/** Validates `settings.sqlperf` (cached per settings object: ESLint passes the same one to every file). */
export function checkSettings(raw: unknown): CheckedSettings {
  if (raw === undefined || raw === null) return { problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problems: [`settings.sqlperf must be an object, e.g. { dialect: 'postgresql' } (got ${show(raw)})`] };
  const hit = checked.get(raw);
  if (hit) return hit;
  const out: CheckedSettings = { problems: [] };
  const extend: { extendDefaultTags?: boolean; extendDefaultCallees?: boolean } = {};
  const bad = (key: string, what: string, v: unknown) => out.problems.push(`settings.sqlperf.${key} ${what} (got ${show(v)})`);
  for (const [key, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    switch (key) {
      case 'dialect': {
        const d = normalizeDialect(v);
        if (d) out.dialect = d;
        else bad(key, `must be one of ${DIALECTS.join(', ')}`, v);
        break;
      }
      case 'tags':
      case 'callees':
        if (isStrings(v)) out[key] = v;
        else bad(key, `must be an array of non-empty strings, e.g. ${key}: ['${key === 'tags' ? 'sql' : 'query'}']`, v);
        break;
      case 'extendDefaultTags':
      case 'extendDefaultCallees':
        if (typeof v === 'boolean') extend[key] = v;
        else bad(key, 'must be true (add tags/callees to the defaults) or false (use only yours)', v);
        break;
      case 'schema':
        if (typeof v === 'boolean' || (typeof v === 'string' && v.length > 0) || isStrings(v)) out.schema = v;
        else bad(key, 'must be true, false, a path or an array of paths', v);
        break;
      case 'tables':
        // checked as the CLI's config `tables` is (one definition of a valid table size)
        try {
          out.tables = tableSizes('settings.sqlperf', v);
        } catch (e) {
          out.problems.push(errorMessage(e));
        }
        break;
      case 'contexts': {
        const { globs, problem } = checkContextGlobs(v);
        const globError = globs && Object.entries(globs).flatMap(([c, list]) => (list ?? []).map((g) => globProblem(g) && `settings.sqlperf.contexts.${c}: ${globProblem(g)}`)).find(Boolean);
        if (problem) out.problems.push(`settings.sqlperf: ${problem}`);
        else if (globError) out.problems.push(globError);
        else out.contexts = globs!;
        break;
      }
      default:
        out.problems.push(`settings.sqlperf.${key} is not a setting; use ${KEYS.join(', ')}`);
    }
  }
  // the user's lists extend the defaults unless they say otherwise
  const lists = detectionLists({ ...(out.tags ? { tags: out.tags } : {}), ...(out.callees ? { callees: out.callees } : {}), ...extend });
  delete out.tags;
  delete out.callees;
  Object.assign(out, lists);
  checked.set(raw, out);
  return out;
}

