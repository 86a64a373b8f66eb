// `--verify`'s section of `npm run bench`, on copies of fixtures/demo: a cold verify in a folder never
// verified before, a verify after one query changed (schema unchanged), and one with nothing
// changed, each against `node -e 0` in the same rounds. The per-user cache (the initialised
// PGlite cluster) goes to the temp folder, so the user's own cache is neither used nor touched.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ms, secs, table, x } from './bench-report.js';
import { nodeZero, ratio, sqlperf, type BenchEnv, type Command, type Series } from './bench-proc.js';

/** The last `sqlperf: verify:` summary line a run printed (how PGlite started, or "from the cache"). */
function summary(s: Series): string {
  const last = s.samples.at(-1)?.stderr ?? '';
  return (
    last
      .split('\n')
      .find((l) => /^sqlperf: verify: .*(PGlite start|from the cache)/.test(l))
      ?.replace(/^sqlperf: verify: /, '') ?? 'no summary line'
  );
}

/** A fresh copy of the demo at `dir` (nothing verified there yet). */
function freshCopy(demo: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(demo, dir, { recursive: true });
}

/**
 * A query that differs from every earlier one (a new table alias each time: libpg-query's
 * fingerprint keeps aliases but not constants, parameters or repeated conditions), so the verify
 * cache cannot answer it.
 */
function changedQuery(k: number): string {
  return `\n-- bench: a changed query (${k})\nSELECT o${k}.id, o${k}.total FROM orders o${k} WHERE o${k}.customer_id = $1;\n`;
}

export function pgliteMissing(b: BenchEnv): string | undefined {
  try {
    createRequire(b.bin).resolve('@electric-sql/pglite');
    return undefined;
  } catch {
    return 'PGlite (@electric-sql/pglite, optional) is not installed';
  }
}

export function verifySection(b: BenchEnv): void {
  const demo = join(b.root, 'fixtures', 'demo');
  const env = { SQLPERF_CACHE_DIR: join(b.tmp, 'user-cache') };
  const verify = (dir: string, before?: () => void): Command => sqlperf(b, ['lint', '--verify', '.'], dir, { env, ...(before ? { before } : {}) });
  mkdirSync(env.SQLPERF_CACHE_DIR, { recursive: true });
  // the very first verify of this user and PGlite version: initdb, whose cluster is then saved
  const primeDir = join(b.tmp, 'verify-prime');
  freshCopy(demo, primeDir);
  const prime = b.runner.alternate(1, [verify(primeDir)], false)[0]!;
  const coldDir = join(b.tmp, 'verify-cold');
  const changedDir = join(b.tmp, 'verify-changed');
  freshCopy(demo, changedDir);
  const reports = join(changedDir, 'sql', 'reports.sql');
  const original = readFileSync(reports, 'utf8');
  let k = 0;
  const cmds = [nodeZero(coldDir), verify(coldDir, () => freshCopy(demo, coldDir)), verify(changedDir, () => writeFileSync(reports, original + changedQuery(++k))), verify(primeDir)];
  freshCopy(demo, coldDir);
  const [zero, cold, changed, same] = b.runner.alternate(b.pairs, cmds);
  const row = (name: string, s: Series) => {
    const r = ratio(s, zero!);
    return [name, ms(s.wall), ms(s.cpu), x(r.wall), x(r.cpu), summary(s)];
  };
  table(
    ['`sqlperf lint --verify .` on fixtures/demo', 'wall', 'CPU', '/ `node -e 0` wall', '/ `node -e 0` CPU', "sqlperf's own account (last run)"],
    [row('cold: a fresh copy, never verified (no project cache)', cold!), row('schema unchanged, one query changed', changed!), row('nothing changed (all from the verify cache)', same!)],
  );
  console.log(`${b.pairs} alternating rounds after a warm-up round, with \`node -e 0\` (${ms(zero!.wall)} wall, ${ms(zero!.cpu)} CPU) in each.`);
  console.log(`Once per user and PGlite version (not in the rounds above): the first verify ran initdb and saved the cluster, ${secs(prime.wall)} wall, ${ms(prime.cpu)} CPU (${summary(prime)}).\n`);
  b.targets.add('cold `--verify` of the demo, folder never verified', '≤ 1.5 s wall', `${secs(cold!.wall)} (${x(ratio(cold!, zero!).wall)} \`node -e 0\`)`, cold!.wall <= 1500);
  b.targets.add('`--verify`, schema unchanged, a query changed', '≤ 1 s wall', `${secs(changed!.wall)} (${x(ratio(changed!, zero!).wall)} \`node -e 0\`)`, changed!.wall <= 1000);
}
