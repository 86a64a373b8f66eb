/**
 * The plugin object behind `sqlperf/eslint-plugin` (index.ts loads it; see there for the usage).
 * Settings: `settings.sqlperf = { dialect, tags, callees, extendDefaultTags, extendDefaultCallees, schema, contexts }`,
 * validated in settings.ts (`tags`/`callees` are added to the defaults). No top-level await: the
 * build bundles this module into one CommonJS script (dist/eslint-plugin/plugin.cjs); index.ts
 * awaits `ready()` (PostgreSQL's parser) from the same copy, so rules parse synchronously.
 */
import { rules as coreRules } from '../rules/index.js';
import { version } from '../src/version.js';
import { toEslintRules } from './adapter.js';
import { sqlLanguage } from './language.js';
import { checkSettings } from './settings.js';
import { schemaProblems } from './schema.js';


type Severity = 'warn' | 'error';

const rules = toEslintRules();

// sqlperf/parse-error also reports what is wrong with settings.sqlperf (eslint-plugin/settings.ts),
// at the top of each file: a bad setting never crashes the ESLint run, and never goes unsaid
const parseError = rules['parse-error']!;
rules['parse-error'] = {
  ...parseError,
  create(context) {
    // the adapter's listeners report at Program:exit; the settings' problems come first, at Program
    const listeners = parseError.create(context);
    const checked = checkSettings((context.settings as Record<string, unknown>).sqlperf);
    const problems = [...checked.problems, ...schemaProblems(context.cwd, checked.schema)];
    // no listener at all where there is nothing to say (most files: see mayReport in adapter.ts)
    if (!problems.length) return listeners;
    return {
      ...listeners,
      Program() {
        const at = { line: 1, column: 0 };
        for (const message of problems) context.report({ loc: { start: at, end: at }, messageId: 'raw', data: { message } });
      },
    };
  },
};

const recommendedRules: Record<string, Severity> = { 'sqlperf/parse-error': 'error', 'sqlperf/invalid-directive': 'error' };
for (const r of coreRules) if (r.recommended) recommendedRules[`sqlperf/${r.name}`] = r.severity;
const allRules: Record<string, Severity> = { 'sqlperf/parse-error': 'error', 'sqlperf/invalid-directive': 'error', 'sqlperf/unused-directive': 'warn' };
for (const r of coreRules) allRules[`sqlperf/${r.name}`] = r.severity;

const plugin = {
  meta: { name: 'sqlperf', version: version(), namespace: 'sqlperf' },
  rules,
  languages: { sql: sqlLanguage },
  configs: {} as Record<'recommended' | 'all' | 'sql', Record<string, unknown>>,
};

plugin.configs.recommended = { name: 'sqlperf/recommended', plugins: { sqlperf: plugin }, rules: recommendedRules };
plugin.configs.all = { name: 'sqlperf/all', plugins: { sqlperf: plugin }, rules: allRules };
plugin.configs.sql = { name: 'sqlperf/sql', files: ['**/*.sql'], plugins: { sqlperf: plugin }, language: 'sqlperf/sql', rules: recommendedRules };

export default plugin;
export { rules };
export { dataFromMessage } from './adapter.js';
export { schemaDigest } from './cache-key.js';
export { ready } from '../src/ready.js';
