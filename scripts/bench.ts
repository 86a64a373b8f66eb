// `npm run bench`: sqlperf's own benchmark, the figures of issue 17's "Done when" list. Each figure
// is a ratio measured within this run (to `node -e 0`, to the bare parse, to a cold run, to ESLint
// without sqlperf, to SQLFluff), wall time and CPU time (user + system), medians of alternating
// runs with the ratio taken run by run: on a shared machine the load falls on both sides alike.
// Stands alone: inputs are generated in a temp folder (removed at the end); the SQL corpus and
// SQLFluff are used when present and skipped with a message otherwise.
//   BENCH_PAIRS (7): rounds of short commands;  BENCH_LONG_PAIRS (3): of long ones (10k-file tree, ESLint);
//   BENCH_RUNS (7): in-process rounds;  BENCH_TREE_FILES (10000);  BENCH_BIG=0 skips the 100k-statement run;
//   BENCH_SQLFLUFF_RUNS (1);  BENCH_ONLY=cold,analysis,sqlfluff,cache,eslint,verify,memory runs some sections;
//   SQLPERF_CORPUS: the corpus folder;  BENCH_KEEP=1 keeps the temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../src/api.js';
import { benchHost, printCore } from './bench-core.js';
import { bigMemory, cacheTrees, coldStart } from './bench-cli.js';
import { eslintSection } from './bench-eslint.js';
import { Runner, type BenchEnv } from './bench-proc.js';
import { ms, section, secs, Targets, x } from './bench-report.js';
import { sqlfluffSection } from './bench-sqlfluff.js';
import { generateHostTree } from './bench-tree.js';
import { pgliteMissing, verifySection } from './bench-verify.js';

const root = join(import.meta.dirname, '..', '..');

function commit(): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).stdout.trim() ? ' with uncommitted changes' : '';
  return head.stdout.trim() + dirty;
}

function header(b: BenchEnv): void {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log('# sqlperf benchmark (`npm run bench`)\n');
  console.log(`date ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; commit ${commit()}; node ${process.version}; ${availableParallelism()} cores (${cpu}); load average at start ${loadavg()[0]!.toFixed(2)}`);
  console.log(`${b.pairs} rounds per short command, ${b.longPairs} per long one, ${b.runs} in process, each after a warm-up round; ${b.runner.accounting}\n`);
}

/** Analysis vs bare parse per dialect on the corpus, and the same on a generated JS/TS tree (in process). */
async function analysis(b: BenchEnv): Promise<void> {
  await ready();
  if (existsSync(b.corpusRoot)) {
    printCore(b.corpusRoot, b.runs, (r, target) => {
      b.targets.add(`analysis / bare parse, corpus ${r.corpus}`, `≤ ${target}× CPU`, `${x(r.analysis.ratio.cpu)} CPU, ${x(r.analysis.ratio.wall)} wall`, r.analysis.ratio.cpu <= target);
    });
  } else {
    console.log(`corpus rows skipped: no corpus at ${b.corpusRoot} (set SQLPERF_CORPUS)\n`);
    b.targets.skip('analysis / bare parse, per dialect', '≤ 1.5× (PostgreSQL), ≤ 1.3× CPU', 'no corpus');
  }
  const dir = join(b.tmp, 'host-tree-analysis');
  generateHostTree(dir, { files: 400, sqlShare: 0.5, queriesPerFile: 6 });
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const h = await benchHost(files, b.runs);
  console.log(
    `generated JS/TS, ${h.sites} queries in ${h.files} files: parse (oxc-parser on each file, libpg-query on each query) ${ms(h.bare.cpu)} CPU; ` +
      `sqlperf's lint of the same files ${ms(h.analysis.cpu)} CPU: ${x(h.analysis.ratio.cpu)} CPU, ${x(h.analysis.ratio.wall)} wall (no target).\n`,
  );
}

const SECTIONS: Array<[key: string, title: string, run: (b: BenchEnv) => void | Promise<void>, figures: Array<[string, string]>]> = [
  ['cold', '1. Cold start: `sqlperf lint` on one tiny file vs `node -e 0`', coldStart, [['cold start: `lint tiny.sql` / `node -e 0`', '≤ 2.5× wall'], ['cold start: `lint tiny.ts` / `node -e 0`', '≤ 3× wall']]],
  ['analysis', '2. Analysis with every rule vs the bare parse', analysis, [['analysis / bare parse, per dialect', '≤ 1.5× (PostgreSQL), ≤ 1.3× CPU']]],
  ['sqlfluff', '3. sqlperf vs SQLFluff on the postgres corpus folder', sqlfluffSection, [['sqlperf vs SQLFluff, CPU per statement, corpus postgres', '≥ 100× CPU']]],
  ['cache', '4. Warm `--cache` vs cold', cacheTrees, [['warm `--cache` / cold, generated JS/TS tree', '≥ 10× wall']]],
  ['eslint', "5. ESLint with and without sqlperf's recommended config", eslintSection, [['ESLint + `sqlperf.configs.recommended` over typescript-eslint recommended', '≤ +15% CPU']]],
  ['verify', '6. `--verify` on the demo project', verifySection, [['cold `--verify` of the demo, folder never verified', '≤ 1.5 s wall'], ['`--verify`, schema unchanged, a query changed', '≤ 1 s wall']]],
  ['memory', '7. Peak memory over 100,000 statements', bigMemory, [['peak memory, `lint` of 100,000 statements', '≤ 224 MB']]],
];

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'sqlperf-bench-'));
  const pairs = Number(process.env.BENCH_PAIRS ?? 7);
  const b: BenchEnv = {
    root,
    bin: join(root, 'dist', 'sqlperf.js'),
    tmp,
    runner: new Runner(tmp),
    targets: new Targets(),
    pairs,
    longPairs: Number(process.env.BENCH_LONG_PAIRS ?? 3),
    runs: Number(process.env.BENCH_RUNS ?? 7),
    corpusRoot: process.env.SQLPERF_CORPUS ?? join(root, '..', 'shared', 'corpus', 'sqlfluff-dialects'),
  };
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const t0 = performance.now();
  try {
    header(b);
    for (const [key, title, run, figures] of SECTIONS) {
      if (only && !only.includes(key)) continue;
      const skip = key === 'verify' ? pgliteMissing(b) : undefined;
      const failed = (why: string) => figures.filter(([f]) => !b.targets.rows.some((r) => r.figure === f)).forEach(([f, t]) => b.targets.skip(f, t, why));
      await section(title, skip ? () => console.log(`skipped: ${skip}\n`) : () => run(b), failed);
      if (skip) failed(skip);
    }
    console.log('## Targets (issue 17, "Done when")\n');
    b.targets.print();
    console.log(`benchmark took ${secs(performance.now() - t0)}; peak RSS of this process (the in-process parts): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
