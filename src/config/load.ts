import path from 'node:path';
import { ConfigError, resolveRules, type RulesConfig } from './rules-config.js';
import { closestName } from '../did-you-mean.js';
import { DIALECTS, normalizeDialect, type Dialect } from '../dialect.js';
import { rules as allRules } from '../../rules/index.js';
import { checkContextGlobs, type ContextGlobs } from '../context.js';
import { globProblem } from '../glob.js';
import { checkLimits, type Limits } from '../limits.js';
import { errorCode, errorMessage } from '../error-message.js';

/** What a config file may say; every key is optional. */
export interface SqlperfConfig {
  dialect?: Dialect;
  rules?: RulesConfig;
  /** Globs (relative to the config file's folder) of the files to lint; default: every .sql and JS/TS file. */
  include?: string[];
  /** Globs (relative to the config file's folder) of files not to lint. */
  ignore?: string[];
  /** Template tags whose literals hold SQL (`sql`, `Prisma.sql`). */
  tags?: string[];
  /** Functions whose string arguments hold SQL (`query`, `db.execute`). */
  callees?: string[];
  /** `false`: `tags` replace the built-in tags instead of adding to them (src/config/detection-lists.ts). */
  extendDefaultTags?: boolean;
  /** `false`: `callees` replace the built-in callees instead of adding to them. */
  extendDefaultCallees?: boolean;
  /** DDL files, folders or globs (relative to the config file's folder), applied in migration order; default: auto-detected. `false` turns the schema off. */
  schema?: string[] | false;
  /** Known table sizes for the cost model: `{ "orders": { "rows": 50000000 } }`. */
  tables?: Record<string, { rows?: number }>;
  /** Check queries and index suggestions with PostgreSQL's own planner (PGlite). */
  verify?: boolean;
  /** Where code runs, by globs that win over the built-in layouts: `{ "migration": ["db/changes/**"] }`. */
  contexts?: ContextGlobs;
  /** Per-folder settings, as ESLint's: `[{ "files": ["db/sqlite/**"], "dialect": "sqlite" }]`; the last match wins. */
  overrides?: { files: string[]; dialect?: Dialect }[];
  /** Report `sqlperf-disable` directives that suppress nothing, as ESLint's linterOptions (`true` is "warn"). */
  reportUnusedDisableDirectives?: 'off' | 'warn' | 'error';
  /** What sqlperf reads at most: `{ "maxFileSize": "2MB", "maxMessagesPerFile": 500, "maxStatementLength": 262144 }` (src/limits.ts). */
  limits?: Partial<Limits>;
}

export interface LoadedConfig {
  config: SqlperfConfig;
  /** The file it came from; null when none was found. */
  filepath: string | null;
  /** The folder that `include` and `ignore` are relative to. */
  base: string;
}

export const SEARCH_PLACES = ['sqlperf.config.json', '.sqlperfrc.json', 'package.json'];
const KEYS = ['dialect', 'rules', 'include', 'ignore', 'tags', 'callees', 'extendDefaultTags', 'extendDefaultCallees', 'schema', 'tables', 'verify', 'contexts', 'overrides', 'reportUnusedDisableDirectives', 'limits'] as const;

function describe(filepath: string): string {
  return path.basename(filepath) === 'package.json' ? `${filepath} (key "sqlperf")` : filepath;
}

function suggestKey(key: string): string {
  const best = closestName(key, KEYS);
  return best ? `did you mean "${best}"? ` : '';
}

function stringList(where: string, key: string, v: unknown): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) {
    throw new ConfigError(`${where}: "${key}" must be an array of non-empty strings, e.g. "${key}": ["..."] (got ${JSON.stringify(v)})`);
  }
  return v as string[];
}

export function tableSizes(where: string, v: unknown): Record<string, { rows?: number }> {
  const example = '"tables": { "orders": { "rows": 50000000 } }';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${where}: "tables" must be an object of table names, e.g. ${example}`);
  // no prototype: a table named `__proto__` or `constructor` is a table, not Object's property
  const out = Object.create(null) as Record<string, { rows?: number }>;
  for (const [name, t] of Object.entries(v)) {
    const rows = (t as { rows?: unknown } | null)?.rows;
    if (!t || typeof t !== 'object' || Object.keys(t).some((k) => k !== 'rows') || (rows !== undefined && !(Number.isInteger(rows) && (rows as number) >= 0))) {
      throw new ConfigError(`${where}: "tables.${name}" must be { "rows": <whole number> }, e.g. ${example} (got ${JSON.stringify(t)})`);
    }
    out[name] = rows === undefined ? {} : { rows: rows as number };
  }
  return out;
}

function overrides(where: string, v: unknown): { files: string[]; dialect?: Dialect }[] {
  const example = '"overrides": [{ "files": ["db/sqlite/**"], "dialect": "sqlite" }]';
  if (!Array.isArray(v)) throw new ConfigError(`${where}: "overrides" must be an array, e.g. ${example}`);
  return v.map((o: unknown, i) => {
    const at = `overrides[${i}]`;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new ConfigError(`${where}: "${at}" must be an object, e.g. ${example}`);
    const entry: { files: string[]; dialect?: Dialect } = { files: [] };
    for (const [k, x] of Object.entries(o)) {
      if (k === 'files') entry.files = stringList(where, `${at}.files`, x);
      else if (k === 'dialect') {
        const d = normalizeDialect(x);
        if (!d) throw new ConfigError(`${where}: "${at}.dialect" must be one of ${DIALECTS.join(', ')} (got ${JSON.stringify(x)})`);
        entry.dialect = d;
      } else throw new ConfigError(`${where}: unknown key "${at}.${k}"; an override takes "files" and "dialect"`);
    }
    if (!entry.files.length) throw new ConfigError(`${where}: "${at}.files" is missing, e.g. ${example}`);
    return entry;
  });
}

/** Every glob must compile: `{a` or `[z-a]` is the config's mistake, named with its key. */
function checkGlobs(where: string, key: string, globs: readonly string[]): void {
  for (const g of globs) {
    const problem = globProblem(g);
    if (problem) throw new ConfigError(`${where}: "${key}": ${problem}`);
  }
}

/** No sqlperf setting nests deeper than a few levels; deeper input would only overflow recursive checks. */
export const MAX_CONFIG_DEPTH = 64;

/** The first top-level key whose value nests deeper than MAX_CONFIG_DEPTH (measured without recursion), if any. */
function tooDeep(raw: object): string | undefined {
  for (const [key, v] of Object.entries(raw)) {
    const stack: Array<[unknown, number]> = [[v, 1]];
    while (stack.length) {
      const [x, depth] = stack.pop()!;
      if (typeof x !== 'object' || x === null) continue;
      if (depth > MAX_CONFIG_DEPTH) return key;
      for (const y of Object.values(x)) stack.push([y, depth + 1]);
    }
  }
  return undefined;
}

/** Checks a parsed config object; throws ConfigError naming the file, the key and the fix. */
export function validateConfig(raw: unknown, filepath: string): SqlperfConfig {
  const where = describe(filepath);
  const deep = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? tooDeep(raw) : undefined;
  if (deep !== undefined) throw new ConfigError(`${where}: "${deep}" is nested more than ${MAX_CONFIG_DEPTH} levels deep; no setting needs that`);
  const out = validateKeys(raw, filepath);
  if (out.include) checkGlobs(where, 'include', out.include);
  if (out.ignore) checkGlobs(where, 'ignore', out.ignore);
  for (const [k, list] of Object.entries(out.contexts ?? {})) checkGlobs(where, `contexts.${k}`, list ?? []);
  out.overrides?.forEach((o, i) => checkGlobs(where, `overrides[${i}].files`, o.files));
  return out;
}

function validateKeys(raw: unknown, filepath: string): SqlperfConfig {
  const where = describe(filepath);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${where}: the config must be a JSON object, e.g. { "rules": { "no-select-star": "error" } }`);
  const out: SqlperfConfig = {};
  for (const [key, v] of Object.entries(raw)) {
    switch (key) {
      case '$schema':
        break;
      case 'dialect': {
        const d = normalizeDialect(v);
        if (!d) throw new ConfigError(`${where}: "dialect" must be one of ${DIALECTS.join(', ')} (got ${JSON.stringify(v)})`);
        out.dialect = d;
        break;
      }
      case 'rules':
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${where}: "rules" must be an object of rule ids to severities, e.g. "rules": { "no-select-star": "error" }`);
        try {
          resolveRules(allRules, v as RulesConfig);
        } catch (e) {
          if (e instanceof ConfigError) throw new ConfigError(`${where}: ${e.message}`);
          throw e;
        }
        out.rules = v as RulesConfig;
        break;
      case 'include':
      case 'ignore':
      case 'tags':
      case 'callees':
        out[key] = stringList(where, key, v);
        break;
      case 'schema':
        if (v === false) out.schema = false;
        else out.schema = typeof v === 'string' ? stringList(where, key, [v]) : stringList(where, key, v);
        break;
      case 'tables':
        out.tables = tableSizes(where, v);
        break;
      case 'extendDefaultTags':
      case 'extendDefaultCallees':
        if (typeof v !== 'boolean') throw new ConfigError(`${where}: "${key}" must be true (add to the defaults) or false (use only yours) (got ${JSON.stringify(v)})`);
        out[key] = v;
        break;
      case 'verify':
        if (typeof v !== 'boolean') throw new ConfigError(`${where}: "verify" must be true or false (got ${JSON.stringify(v)})`);
        out.verify = v;
        break;
      case 'contexts': {
        const { globs, problem } = checkContextGlobs(v);
        if (problem) throw new ConfigError(`${where}: ${problem}`);
        out.contexts = globs!;
        break;
      }
      case 'overrides':
        out.overrides = overrides(where, v);
        break;
      case 'reportUnusedDisableDirectives': {
        const sev = v === true ? 'warn' : v === false ? 'off' : v;
        if (sev !== 'off' && sev !== 'warn' && sev !== 'error') throw new ConfigError(`${where}: "reportUnusedDisableDirectives" must be "off", "warn", "error", true ("warn") or false (got ${JSON.stringify(v)})`);
        out.reportUnusedDisableDirectives = sev;
        break;
      }
      case 'limits': {
        const { limits, problem } = checkLimits(v);
        if (problem) throw new ConfigError(`${where}: ${problem}`);
        out.limits = limits!;
        break;
      }
      default:
        throw new ConfigError(`${where}: unknown key "${key}"; ${suggestKey(key)}allowed keys are ${KEYS.join(', ')}`);
    }
  }
  return out;
}

function parseJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (e) {
    throw new ConfigError(`${filepath}: invalid JSON: ${errorMessage(e)}`);
  }
}

/**
 * Finds the config from `cwd` upwards (sqlperf.config.json, .sqlperfrc.json, or the "sqlperf"
 * key of package.json), or loads `explicit`; validates it. No config is not an error.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const { lilconfig } = await import('lilconfig');
  const loaders = { '.json': parseJson, noExt: parseJson };
  const explorer = lilconfig('sqlperf', { searchPlaces: SEARCH_PLACES, loaders, packageProp: 'sqlperf', cache: false, stopDir: path.parse(cwd).root });
  let result;
  if (explicit) {
    const abs = path.resolve(cwd, explicit);
    try {
      result = await explorer.load(abs);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const code = errorCode(e);
      throw new ConfigError(`cannot read config file ${abs}${code === 'ENOENT' ? ': no such file' : `: ${errorMessage(e)}`}`);
    }
    // lilconfig gives null for a package.json without the "sqlperf" key
    if (!result || result.config == null) throw new ConfigError(`${describe(abs)}: no sqlperf config in this file`);
  } else {
    result = await explorer.search(cwd);
  }
  if (!result || result.config === undefined) return { config: {}, filepath: null, base: cwd };
  return { config: validateConfig(result.config, result.filepath), filepath: result.filepath, base: path.dirname(result.filepath) };
}
