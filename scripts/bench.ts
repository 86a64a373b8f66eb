// `npm run bench`: sqlperf's own benchmark. Medians of several runs; ratios are what hold on a noisy machine.
// Stands alone: the generated trees go to a temp folder (removed at the end); the corpus and
// SQLFluff are used when present and skipped with a message otherwise.
//   BENCH_RUNS (5): in-process runs;  BENCH_CLI_RUNS (3): runs of each command;  SQLPERF_CORPUS: corpus folder;
//   BENCH_KEEP=1 keeps the temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ready } from '../src/api.js';
import { benchCore, benchHost, median } from './bench-core.js';
import { generateHostTree, generateSqlTree } from './bench-tree.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 3);
const root = join(import.meta.dirname, '..', '..');
const corpusRoot = process.env.SQLPERF_CORPUS ?? join(root, '..', 'shared', 'corpus', 'sqlfluff-dialects');
const bin = join(root, 'dist', 'src', 'cli', 'bin.js');
const eslintBin = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
const plugin = join(root, 'dist', 'eslint-plugin', 'index.js');
const tmp = mkdtempSync(join(tmpdir(), 'sqlperf-bench-'));

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${fmt(n)} ms`);
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);
const x = (r: number) => `${r.toFixed(2)}×`;
const ok = (pass: boolean) => (pass ? 'met' : 'NOT met');
const table = (head: string[], rows: string[][]) => console.log([head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// without GNU time, node processes report their own peak RSS through a preloaded module
const rssPreload = join(tmp, 'rss.mjs');
writeFileSync(rssPreload, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n");

interface Timed {
  ms: number;
  rssKb?: number;
  code: number | null;
  stderr: string;
}

/** Runs a command once: wall time (spawn included), peak RSS in KB, exit code. */
function runOnce(cmd: string, args: string[], cwd: string, before?: () => void): Timed {
  before?.();
  const rssFile = join(tmp, 'rss.txt');
  rmSync(rssFile, { force: true });
  let argv = [cmd, ...args];
  const env = { ...process.env, BENCH_RSS_FILE: rssFile, FORCE_COLOR: '0' };
  if (gnuTime) argv = [gnuTime, '-f', '%M', '-o', rssFile, ...argv];
  else if (cmd === process.execPath) argv = [cmd, '--import', pathToFileURL(rssPreload).href, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - t0;
  let rssKb: number | undefined;
  if (existsSync(rssFile)) {
    const n = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(n) && n > 0) rssKb = gnuTime ? n : n; // both report KB
  }
  return { ms: elapsed, rssKb, code: r.status, stderr: r.stderr ?? '' };
}

/** A warm-up run, then the median wall time and the highest peak RSS of `n` runs. */
function timeCommand(cmd: string, args: string[], cwd: string, n = cliRuns, before?: () => void, warmup = true): Timed {
  if (warmup) runOnce(cmd, args, cwd, before);
  const all = Array.from({ length: n }, () => runOnce(cmd, args, cwd, before));
  const bad = all.find((r) => r.code === null || r.code > 1);
  if (bad) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${bad.code}): ${bad.stderr.slice(0, 500)}`);
  const rss = all.map((r) => r.rssKb).filter((v): v is number => v !== undefined);
  return { ms: median(all.map((r) => r.ms)), rssKb: rss.length ? Math.max(...rss) : undefined, code: all[0]!.code, stderr: all[0]!.stderr };
}

const node = process.execPath;
const sqlperf = (args: string[], cwd: string, n = cliRuns, before?: () => void, warmup = true) => timeCommand(node, ['--no-warnings', bin, ...args], cwd, n, before, warmup);

const targets: string[][] = [];

try {
  await ready();
  console.log(`sqlperf benchmark: median of ${runs} in-process runs / ${cliRuns} runs per command after a warm-up; node ${process.version}, ${availableParallelism()} cores; peak memory ${gnuTime ? 'from GNU time' : 'from process.resourceUsage()'}\n`);

  // generated trees
  const sqlTree = join(tmp, 'sql-tree');
  const sqlStatements = generateSqlTree(sqlTree, { files: 300, statementsPerFile: 10 });
  const hostTree = join(tmp, 'host-tree');
  const host = generateHostTree(hostTree, { files: 400, sqlShare: 0.5, queriesPerFile: 6 });
  const eslintTree = join(tmp, 'eslint-tree');
  const tenth = generateHostTree(eslintTree, { files: 300, sqlShare: 0.1, queriesPerFile: 5, seed: 3 });
  const small = join(tmp, 'small');
  mkdirSync(small);
  writeFileSync(join(small, 'one.sql'), 'SELECT id, email FROM users WHERE email = $1;\n');
  const listFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  console.log(`generated in ${tmp}: ${sqlStatements} statements in 300 .sql files; ${host.queries} queries in ${host.sqlFiles} of 400 TS files; ${tenth.queries} queries in ${tenth.sqlFiles} of 300 TS files (one in ten)\n`);

  // (a) / (b)
  console.log('## (a) bare parse vs (b) sqlperf analyze with every rule, same input, in process\n');
  const coreRows: string[][] = [];
  const corpusPresent = existsSync(corpusRoot);
  if (corpusPresent) {
    for (const r of benchCore(corpusRoot, runs)) {
      coreRows.push([`corpus ${r.corpus}`, `${r.statements} statements`, fmt((r.statements / r.bareMs) * 1000), fmt((r.statements / r.analyzeMs) * 1000), x(r.analyzeMs / r.bareMs)]);
      targets.push([`analyze ≤ 1.3× bare parse (corpus ${r.corpus})`, x(r.analyzeMs / r.bareMs), ok(r.analyzeMs / r.bareMs <= 1.3)]);
    }
  }
  const h = await benchHost(listFiles(hostTree), runs);
  coreRows.push(['generated JS/TS', `${h.sites} queries in ${h.files} files`, fmt((h.sites / h.bareMs) * 1000), fmt((h.sites / h.analyzeMs) * 1000), x(h.analyzeMs / h.bareMs)]);
  targets.push(['analyze ≤ 1.3× bare parse (generated JS/TS)', x(h.analyzeMs / h.bareMs), ok(h.analyzeMs / h.bareMs <= 1.3)]);
  table(['input', 'size', '(a) parse /s', '(b) analyze /s', '(b)/(a) time'], coreRows);
  console.log('(a) is libpg-query for PostgreSQL and node-sql-parser for the other dialects, statement by statement; for JS/TS it is typescript-estree on each file that may hold SQL plus the SQL parser on each embedded statement.');
  if (!corpusPresent) console.log(`corpus rows skipped: no corpus at ${corpusRoot} (set SQLPERF_CORPUS)`);
  console.log('');

  // (c) CLI end to end
  console.log('## (c) the CLI end to end: cold (empty cache) and warm (--cache, nothing changed)\n');
  const cliRows: string[][] = [];
  const cacheFile = join(tmp, 'bench.sqlperfcache');
  const dropCache = () => rmSync(cacheFile, { force: true });
  const cliCase = (name: string, dir: string, extra: string[] = []) => {
    const args = ['lint', '--cache', '--cache-location', cacheFile, ...extra, '.'];
    const cold = sqlperf(args, dir, cliRuns, dropCache);
    runOnce(node, [bin, ...args], dir); // make sure the cache is complete
    const warm = sqlperf(args, dir);
    cliRows.push([name, ms(cold.ms), mb(cold.rssKb), ms(warm.ms), mb(warm.rssKb), x(cold.ms / warm.ms)]);
    targets.push([`warm cache ≥ 10× faster than cold (${name})`, x(cold.ms / warm.ms), ok(cold.ms / warm.ms >= 10)]);
    dropCache();
  };
  if (corpusPresent && existsSync(join(corpusRoot, 'postgres'))) cliCase('corpus postgres', join(corpusRoot, 'postgres'));
  cliCase(`generated .sql (${sqlStatements} statements)`, sqlTree);
  cliCase(`generated JS/TS (${host.queries} queries)`, hostTree);
  table(['tree', 'cold', 'peak RSS', 'warm', 'peak RSS', 'cold/warm'], cliRows);

  const start = sqlperf(['lint', 'one.sql'], small, Math.max(cliRuns, 5));
  const version = timeCommand(node, ['--version'], small, Math.max(cliRuns, 5));
  console.log(`CLI cold start on one small file: ${ms(start.ms)} (peak RSS ${mb(start.rssKb)}); \`node --version\` alone: ${ms(version.ms)}\n`);
  targets.push(['CLI cold start on one small file < 300 ms', ms(start.ms), ok(start.ms < 300)]);

  console.log('### worker threads (--concurrency), no cache\n');
  const parRows: string[][] = [];
  const threads = Math.max(2, Math.min(availableParallelism(), 8));
  for (const [name, dir] of [
    ['generated .sql', sqlTree],
    ['generated JS/TS', hostTree],
  ] as const) {
    const off = sqlperf(['lint', '--concurrency', 'off', '.'], dir);
    const auto = sqlperf(['lint', '--concurrency', String(threads), '.'], dir);
    parRows.push([name, ms(off.ms), mb(off.rssKb), ms(auto.ms), mb(auto.rssKb), x(off.ms / auto.ms)]);
  }
  table(['tree', 'one thread', 'peak RSS', `--concurrency ${threads}`, 'peak RSS', 'speed-up'], parRows);
  console.log(`(--concurrency auto uses workers only with 4+ cores and more than 50 files to lint; this machine has ${availableParallelism()}.)\n`);

  // (d) ESLint
  console.log('## (d) ESLint with and without sqlperf\'s recommended config, same TS tree (one file in ten has SQL)\n');
  const tsParser = pathToFileURL(join(root, 'node_modules', '@typescript-eslint', 'parser', 'dist', 'index.js')).href;
  const tseslint = pathToFileURL(join(root, 'node_modules', 'typescript-eslint', 'dist', 'index.js')).href;
  const configs: Record<string, string> = {
    'parser.mjs': `import tsParser from '${tsParser}';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }];\n`,
    'parser-sqlperf.mjs': `import tsParser from '${tsParser}';\nimport sqlperf from '${pathToFileURL(plugin).href}';\nexport default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins: { sqlperf }, rules: sqlperf.configs.recommended.rules }];\n`,
    'tseslint.mjs': `import tseslint from '${tseslint}';\nexport default [...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] }))];\n`,
    'tseslint-sqlperf.mjs': `import tseslint from '${tseslint}';\nimport sqlperf from '${pathToFileURL(plugin).href}';\nexport default [...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })), { files: ['**/*.ts'], plugins: { sqlperf }, rules: sqlperf.configs.recommended.rules }];\n`,
  };
  for (const [f, text] of Object.entries(configs)) writeFileSync(join(eslintTree, f), text);
  const eslint = (config: string) => timeCommand(node, [eslintBin, '--no-config-lookup', '-c', config, '--no-warn-ignored', '.'], eslintTree);
  const eslintRows: string[][] = [];
  for (const [name, base, withIt] of [
    ['parser only', 'parser.mjs', 'parser-sqlperf.mjs'],
    ['typescript-eslint recommended', 'tseslint.mjs', 'tseslint-sqlperf.mjs'],
  ] as const) {
    const a = eslint(base);
    const b = eslint(withIt);
    eslintRows.push([name, ms(a.ms), ms(b.ms), mb(b.rssKb), `+${((b.ms / a.ms - 1) * 100).toFixed(0)}%`]);
    targets.push([`ESLint + sqlperf recommended ≤ +15% (${name})`, `+${((b.ms / a.ms - 1) * 100).toFixed(0)}%`, ok(b.ms / a.ms <= 1.15)]);
  }
  table(['baseline config', 'without sqlperf', 'with sqlperf', 'peak RSS', 'added'], eslintRows);

  // SQLFluff
  console.log('## SQLFluff on the same .sql files\n');
  const sqlfluff = onPath('sqlfluff');
  if (!sqlfluff) console.log('skipped: sqlfluff is not on PATH (Debian/Ubuntu: apt-get install sqlfluff; or pipx install sqlfluff)\n');
  else if (!corpusPresent) console.log(`skipped: no corpus at ${corpusRoot}\n`);
  else {
    const v = spawnSync(sqlfluff, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const fluffRuns = Number(process.env.BENCH_SQLFLUFF_RUNS ?? 1);
    const rows: string[][] = [];
    for (const [folder, fluffDialect, ours] of [
      ['sqlite', 'sqlite', 'sqlite'],
      ['postgres', 'postgres', 'postgresql'],
    ] as const) {
      const dir = join(corpusRoot, folder);
      if (!existsSync(dir)) continue;
      const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).length;
      const f = timeCommand(sqlfluff, ['lint', '--dialect', fluffDialect, '--processes', '1', '.'], dir, fluffRuns, undefined, false);
      const s = sqlperf(['lint', '--dialect', ours, '--concurrency', 'off', '.'], dir);
      rows.push([`corpus ${folder} (${files} files)`, ms(f.ms), mb(f.rssKb), ms(s.ms), mb(s.rssKb), x(f.ms / s.ms)]);
    }
    table([`folder`, `${v} (1 process)`, 'peak RSS', 'sqlperf lint (one thread)', 'peak RSS', 'sqlfluff/sqlperf'], rows);
    console.log(`SQLFluff: ${fluffRuns} run(s), no warm-up (BENCH_SQLFLUFF_RUNS). It is a style linter and formatter with many more rules; the comparison is of cost per file, not of what they find.\n`);
  }

  console.log('## Targets\n');
  table(['target', 'measured', 'status'], targets);
  console.log(`peak RSS of this benchmark process (in-process parts): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
