// ESLint's section of `npm run bench`: the same TS tree (one file in ten holds SQL) linted with and
// without sqlperf's recommended config, over two baselines, all four configs in alternating rounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateHostTree } from './bench-tree.js';
import { mb, ms, pct, table } from './bench-report.js';
import { ratio, type BenchEnv, type Command } from './bench-proc.js';

/** The four flat configs, written beside the tree; each imports by file URL, so the tree needs no node_modules. */
function writeConfigs(b: BenchEnv, dir: string): void {
  const nm = join(b.root, 'node_modules');
  const tsParser = pathToFileURL(join(nm, '@typescript-eslint', 'parser', 'dist', 'index.js')).href;
  const tseslint = pathToFileURL(join(nm, 'typescript-eslint', 'dist', 'index.js')).href;
  const plugin = pathToFileURL(join(b.root, 'dist', 'eslint-plugin', 'index.js')).href;
  const recommended = "{ files: ['**/*.ts'], plugins: { sqlperf }, rules: sqlperf.configs.recommended.rules }";
  const tsRecommended = "...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] }))";
  const configs: Record<string, string> = {
    'parser.mjs': `import tsParser from '${tsParser}';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }];\n`,
    'parser-sqlperf.mjs': `import tsParser from '${tsParser}';\nimport sqlperf from '${plugin}';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, ${recommended}];\n`,
    'tseslint.mjs': `import tseslint from '${tseslint}';\nexport default [${tsRecommended}];\n`,
    'tseslint-sqlperf.mjs': `import tseslint from '${tseslint}';\nimport sqlperf from '${plugin}';\nexport default [${tsRecommended}, ${recommended}];\n`,
  };
  for (const [f, text] of Object.entries(configs)) writeFileSync(join(dir, f), text);
}

export function eslintSection(b: BenchEnv): void {
  const dir = join(b.tmp, 'eslint-tree');
  const files = 300;
  const g = generateHostTree(dir, { files, sqlShare: 0.1, queriesPerFile: 5, seed: 3 });
  writeConfigs(b, dir);
  const eslintBin = join(b.root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const eslint = (config: string): Command => ({ cmd: process.execPath, args: [eslintBin, '--no-config-lookup', '-c', config, '--no-warn-ignored', '.'], cwd: dir });
  b.runner.once(eslint('tseslint-sqlperf.mjs')); // warm-up: this config loads every module the other three load
  const [parser, parserSql, ts, tsSql] = b.runner.alternate(b.longPairs, [eslint('parser.mjs'), eslint('parser-sqlperf.mjs'), eslint('tseslint.mjs'), eslint('tseslint-sqlperf.mjs')], false);
  const rows: string[][] = [];
  for (const [name, base, withIt] of [
    ['parser only (@typescript-eslint/parser)', parser!, parserSql!],
    ['typescript-eslint recommended', ts!, tsSql!],
  ] as const) {
    const r = ratio(withIt, base);
    rows.push([name, ms(base.wall), ms(base.cpu), ms(withIt.wall), ms(withIt.cpu), mb(withIt.rssKb), pct(r.wall), pct(r.cpu)]);
    if (base === ts) b.targets.add('ESLint + `sqlperf.configs.recommended` over typescript-eslint recommended', '≤ +15% CPU', `${pct(r.cpu)} CPU, ${pct(r.wall)} wall`, (r.cpu ?? r.wall) <= 1.15);
  }
  table(['baseline config', 'without sqlperf wall', 'CPU', 'with sqlperf wall', 'CPU', 'peak RSS', 'added wall', 'added CPU'], rows);
  console.log(`${files} generated TS files, ${g.sqlFiles} of them with ${g.queries} queries; the four configs in ${b.longPairs} alternating rounds after one warm-up run; "added" is the median of the with/without ratio per round.\n`);
}
