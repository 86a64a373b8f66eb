// The CLI's sections of `npm run bench`: cold start vs `node -e 0`, warm `--cache` vs cold, and
// peak memory over 100,000 statements. Every input is generated in the benchmark's temp folder.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { generateHostTree, generateSqlTree } from './bench-tree.js';
import { mb, ms, table, x } from './bench-report.js';
import { nodeZero, ratio, sqlperf, type BenchEnv, type Series } from './bench-proc.js';

const TINY_SQL = 'SELECT id, email FROM users WHERE email = $1;\n';
const TINY_TS = "import { sql } from './db';\n\nexport async function findUser(email: string) {\n  return sql`SELECT id, email FROM users WHERE email = ${email}`;\n}\n";

/** `sqlperf lint tiny.sql` and `lint tiny.ts` against `node -e 0`, in alternating pairs. */
export function coldStart(b: BenchEnv): void {
  const dir = join(b.tmp, 'tiny');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tiny.sql'), TINY_SQL);
  writeFileSync(join(dir, 'tiny.ts'), TINY_TS);
  const rows: string[][] = [];
  for (const [file, target] of [
    ['tiny.sql', 2.5],
    ['tiny.ts', 3],
  ] as const) {
    const [zero, lint] = b.runner.alternate(b.pairs, [nodeZero(dir), sqlperf(b, ['lint', file], dir)]);
    const r = ratio(lint!, zero!);
    rows.push([`\`sqlperf lint ${file}\``, ms(lint!.wall), ms(lint!.cpu), ms(zero!.wall), ms(zero!.cpu), x(r.wall), x(r.cpu), mb(lint!.rssKb)]);
    b.targets.add(`cold start: \`lint ${file}\` / \`node -e 0\``, `≤ ${target}× wall`, `${x(r.wall)} wall, ${x(r.cpu)} CPU`, r.wall <= target);
  }
  table(['command', 'wall', 'CPU', '`node -e 0` wall', '`node -e 0` CPU', 'ratio wall', 'ratio CPU', 'peak RSS'], rows);
  console.log(`${b.pairs} alternating pairs after a warm-up pair; tiny.sql is one statement, tiny.ts one function with one sql\`...\` query.\n`);
}

interface CachePair {
  cold: Series;
  warm: Series;
  ratio: { wall: number; cpu?: number };
}

/** `lint --cache` with the cache removed (cold) and with it complete and nothing changed (warm), alternating. */
function cachePair(b: BenchEnv, dir: string, rounds: number, warmup = true): CachePair {
  const cacheFile = join(b.tmp, `${basename(dir)}.sqlperfcache`);
  const args = ['lint', '--cache', '--cache-location', cacheFile, '.'];
  const drop = () => rmSync(cacheFile, { force: true });
  const [cold, warm] = b.runner.alternate(rounds, [sqlperf(b, args, dir, { before: drop }), sqlperf(b, args, dir)], warmup);
  drop();
  return { cold: cold!, warm: warm!, ratio: ratio(cold!, warm!) };
}

const cacheRow = (name: string, p: CachePair) => [name, ms(p.cold.wall), ms(p.cold.cpu), mb(p.cold.rssKb), ms(p.warm.wall), ms(p.warm.cpu), mb(p.warm.rssKb), x(p.ratio.wall), x(p.ratio.cpu)];

/**
 * Warm `--cache` vs cold on a generated JS/TS tree of 10,000 files (`BENCH_TREE_FILES`), one file
 * in ten holding SQL; then the same on two small trees, where start-up weighs more.
 */
export function cacheTrees(b: BenchEnv): void {
  const files = Number(process.env.BENCH_TREE_FILES ?? 10_000);
  const big = join(b.tmp, 'host-tree-big');
  const g = generateHostTree(big, { files, sqlShare: 0.1, queriesPerFile: 5, seed: 4 });
  const sqlTree = join(b.tmp, 'sql-tree');
  const statements = generateSqlTree(sqlTree, { files: 300, statementsPerFile: 10 });
  const hostTree = join(b.tmp, 'host-tree');
  const h = generateHostTree(hostTree, { files: 400, sqlShare: 0.5, queriesPerFile: 6 });
  const main = cachePair(b, big, b.longPairs, false); // no warm-up pair: the files were just written, and a pair takes 10+ s
  const rows = [cacheRow(`generated JS/TS, ${files.toLocaleString('en-US')} files (${g.queries.toLocaleString('en-US')} queries in ${g.sqlFiles.toLocaleString('en-US')})`, main)];
  const label = 'warm `--cache` / cold, generated JS/TS tree';
  b.targets.add(label, '≥ 10× wall', `${x(main.ratio.wall)} wall, ${x(main.ratio.cpu)} CPU (${files.toLocaleString('en-US')} files)`, main.ratio.wall >= 10);
  rows.push(cacheRow(`generated .sql, 300 files (${statements.toLocaleString('en-US')} statements)`, cachePair(b, sqlTree, b.longPairs)));
  rows.push(cacheRow(`generated JS/TS, 400 files (${h.queries.toLocaleString('en-US')} queries in ${h.sqlFiles})`, cachePair(b, hostTree, b.longPairs)));
  table(['tree', 'cold wall', 'cold CPU', 'peak RSS', 'warm wall', 'warm CPU', 'peak RSS', 'cold/warm wall', 'cold/warm CPU'], rows);
  console.log(`\`sqlperf lint --cache .\` (default --cache-strategy and --concurrency), ${b.longPairs} alternating pairs (cold: cache file removed first; warm: nothing changed) after a warm-up pair (none for the big tree, just written).\n`);
}

/** Peak RSS of `sqlperf lint` over 100,000 generated statements in 2,000 .sql files (`BENCH_BIG=0` skips it). */
export function bigMemory(b: BenchEnv): void {
  const figure = 'peak memory, `lint` of 100,000 statements';
  if (process.env.BENCH_BIG === '0') {
    console.log('skipped: BENCH_BIG=0\n');
    b.targets.skip(figure, '≤ 224 MB', 'BENCH_BIG=0');
    return;
  }
  const dir = join(b.tmp, 'sql-tree-big');
  const statements = generateSqlTree(dir, { files: 2_000, statementsPerFile: 50, seed: 5 });
  const [s] = b.runner.alternate(1, [sqlperf(b, ['lint', '--concurrency', 'off', '.'], dir)], false);
  if (s!.rssKb === undefined) throw new Error('no peak RSS: neither GNU time nor the preloaded module reported one');
  const perSec = s!.cpu ? ` (${Math.round((statements / s!.cpu) * 1000).toLocaleString('en-US')} statements per CPU-second)` : '';
  console.log(`\`sqlperf lint --concurrency off .\` over ${statements.toLocaleString('en-US')} statements in 2,000 .sql files: peak RSS ${mb(s!.rssKb)}, wall ${ms(s!.wall)}, CPU ${ms(s!.cpu)}${perSec}; one run.\n`);
  b.targets.add(figure, '≤ 224 MB', mb(s!.rssKb), s!.rssKb / 1024 <= 224);
  rmSync(dir, { recursive: true, force: true });
}
