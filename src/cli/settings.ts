import { detectionLists } from '../config/detection-lists.js';
import { loadConfig, type LoadedConfig, type SqlperfConfig } from '../config/load.js';
import { ConfigError, resolveRules, type RulesConfig, type RuleSetting } from '../config/rules-config.js';
import { DIALECTS, normalizeDialect } from '../dialect.js';
import { globProblem } from '../glob.js';
import { rules as allRules } from '../../rules/index.js';
import type { EngineOptions } from './engine.js';
import { UsageError } from './errors.js';
import { parseCount, parseSize, type Limits } from '../limits.js';
import { errorMessage } from '../error-message.js';

export interface CommonFlags {
  dialect?: string;
  rule?: string[];
  config?: string;
  /** --ignore-pattern (lint, indexes): checked here, so a bad glob is a usage error. */
  ignorePattern?: string[];
  /** lint: --report-unused-disable-directives (error, as ESLint's flag) or its -severity. */
  reportUnusedDisableDirectives?: boolean;
  reportUnusedDisableDirectivesSeverity?: string;
  /** --max-file-size, --max-messages (lint, indexes): over the config's `limits`. */
  maxFileSize?: string;
  maxMessages?: string;
}

/** The severity of `unused-directive`: the flags, else the config key (else the rules as configured). */
function unusedDirectives(flags: CommonFlags, configured: SqlperfConfig['reportUnusedDisableDirectives']): RuleSetting | undefined {
  const sev = flags.reportUnusedDisableDirectivesSeverity;
  if (sev !== undefined) {
    if (sev !== 'off' && sev !== 'warn' && sev !== 'error') throw new UsageError(`--report-unused-disable-directives-severity expects off, warn or error (got "${sev}")`);
    return sev;
  }
  return flags.reportUnusedDisableDirectives ? 'error' : configured;
}

/** `--rule no-select-star:error` or `--rule 'max-joins:["warn",{"max":5}]'`. */
export function parseRuleFlag(value: string): [string, RuleSetting] {
  const i = value.indexOf(':');
  if (i <= 0) throw new UsageError(`--rule expects <rule>:<off|warn|error>, e.g. --rule no-select-star:error (got "${value}")`);
  const id = value.slice(0, i).trim();
  const raw = value.slice(i + 1).trim();
  if (raw.startsWith('[')) {
    try {
      return [id, JSON.parse(raw) as RuleSetting];
    } catch (e) {
      throw new UsageError(`--rule ${id}: the setting is not valid JSON (${errorMessage(e)})`);
    }
  }
  return [id, raw as RuleSetting];
}

export function parseDialect(value: string): NonNullable<EngineOptions['dialect']> {
  const d = normalizeDialect(value);
  if (!d) throw new UsageError(`unknown dialect "${value}"; use one of ${DIALECTS.join(', ')}`);
  return d;
}

function limitFlags(flags: CommonFlags): Partial<Limits> {
  const out: Partial<Limits> = {};
  if (flags.maxFileSize !== undefined) {
    const n = parseSize(flags.maxFileSize);
    if (n === undefined) throw new UsageError(`--max-file-size expects a size in bytes or with a unit, e.g. 2MB or 512KB (0 for none; got "${flags.maxFileSize}")`);
    out.maxFileSize = n;
  }
  if (flags.maxMessages !== undefined) {
    const n = parseCount(flags.maxMessages);
    if (n === undefined) throw new UsageError(`--max-messages expects a whole number (0 for none; got "${flags.maxMessages}")`);
    out.maxMessagesPerFile = n;
  }
  return out;
}

/** Config file + flags -> what the engine runs with; loads PostgreSQL's parser when it is needed. */
export async function resolveSettings(cwd: string, flags: CommonFlags, options: { loadParser?: boolean } = {}): Promise<{ loaded: LoadedConfig; engine: EngineOptions }> {
  for (const g of flags.ignorePattern ?? []) {
    const problem = globProblem(g);
    if (problem) throw new UsageError(`--ignore-pattern: ${problem}`);
  }
  const loaded = await loadConfig(cwd, flags.config);
  const fromFlags: RulesConfig = Object.fromEntries((flags.rule ?? []).map(parseRuleFlag));
  if (Object.keys(fromFlags).length) {
    try {
      resolveRules(allRules, fromFlags, '--rule');
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message.replace(/^--rule\.([^:]+):/, '--rule $1:'));
      throw e;
    }
  }
  const dialect = flags.dialect ? parseDialect(flags.dialect) : (loaded.config.dialect ?? 'postgresql');
  const rules: RulesConfig = { ...loaded.config.rules, ...fromFlags };
  const unused = unusedDirectives(flags, loaded.config.reportUnusedDisableDirectives);
  if (unused !== undefined) rules['unused-directive'] = unused;
  if (dialect === 'postgresql' && options.loadParser !== false) await (await import('../ready.js')).ready(['postgresql']);
  // config tags/callees are added to the built-in lists unless extendDefault* is false
  const engine: EngineOptions = { dialect, rules, ...detectionLists(loaded.config) };
  engine.contexts = { base: loaded.base, ...(loaded.config.contexts ? { globs: loaded.config.contexts } : {}) };
  if (loaded.config.overrides?.length) engine.overrides = loaded.config.overrides.map((o) => ({ base: loaded.base, ...o }));
  const limits = { ...loaded.config.limits, ...limitFlags(flags) };
  if (Object.keys(limits).length) engine.limits = limits;
  return { loaded, engine };
}
