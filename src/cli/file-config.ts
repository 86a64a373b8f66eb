import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { resolveRules, type RuleSetting } from '../config/rules-config.js';
import type { LoadedConfig } from '../config/load.js';
import { appliesIn } from '../context.js';
import { rulesForSchemaFile } from '../schema/history.js';
import { dialectFor, fileContext, type EngineOptions } from './engine.js';
import type { ProjectSchema } from './schema.js';

/** What applies to one file: `--print-config <file>` prints it, `--debug` says it per file. */
export interface FileConfig {
  file: string;
  /** The config file loaded (relative to the working directory), or null for the defaults. */
  configFile: string | null;
  /** `clickhouse`: a folder of ClickHouse SQL, counted and not read. */
  dialect: string;
  context: string;
  schema: { location: string; files: string[]; digest: string; thisFileIsPartOfIt: boolean } | null;
  /** The rules that run on the file, with severity (and options when the rule has any). */
  rules: Record<string, RuleSetting>;
  /** Rules that are on but do not apply in this file's context (`sqlperf rules` shows where each runs). */
  offInThisContext: string[];
  tags?: string[];
  callees?: string[];
}

export function fileConfig(file: string, cwd: string, loaded: LoadedConfig, engine: EngineOptions, schema: ProjectSchema | undefined): FileConfig {
  const abs = path.resolve(cwd, file);
  const rel = (p: string) => path.relative(cwd, p).split(path.sep).join('/') || '.';
  const context = fileContext(abs, engine);
  const schemaFile = Boolean(schema && engine.schemaFiles?.includes(abs));
  // a migration of the schema is not checked against the final schema (analyze turns those rules off)
  const { active, builtins } = resolveRules(allRules, schemaFile ? rulesForSchemaFile(engine.rules) : engine.rules);
  const rules: Record<string, RuleSetting> = {};
  const offInThisContext: string[] = [];
  for (const a of active) {
    if (!appliesIn(a.rule, context)) offInThisContext.push(a.rule.name);
    else rules[a.rule.name] = Object.keys(a.options).length ? [a.severity, a.options] : a.severity;
  }
  for (const [id, sev] of Object.entries(builtins)) if (sev !== 'off') rules[id] = sev;
  return {
    file: rel(abs),
    configFile: loaded.filepath ? rel(loaded.filepath) : null,
    dialect: dialectFor(abs, engine),
    context,
    schema: schema ? { location: schema.location, files: schema.files.map((f) => f.path), digest: schema.digest, thisFileIsPartOfIt: schemaFile } : null,
    rules,
    offInThisContext,
    ...(engine.tags ? { tags: engine.tags } : {}),
    ...(engine.callees ? { callees: engine.callees } : {}),
  };
}

/** One line for --debug. */
export function describeFile(c: FileConfig): string {
  const n = c.schema?.files.length ?? 0;
  const schema = c.schema ? `schema from ${c.schema.location}, ${n} ${n === 1 ? 'file' : 'files'}${c.schema.thisFileIsPartOfIt ? ' (this file is one of them)' : ''}` : 'no schema';
  return `${c.file}: dialect ${c.dialect}, context ${c.context}, ${schema}, ${Object.keys(c.rules).length} rules on (${c.offInThisContext.length} more not in this context), config ${c.configFile ?? 'none (defaults)'}`;
}
