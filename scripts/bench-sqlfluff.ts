// SQLFluff's section of `npm run bench`: CPU per statement of `sqlfluff lint` and `sqlperf lint` on
// the postgres folder of the corpus, when SQLFluff is installed (PATH, ~/.local/bin or pipx).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { countStatements } from './bench-core.js';
import { ms, table, x } from './bench-report.js';
import { ratio, sqlperf, type BenchEnv } from './bench-proc.js';

const FIGURE = 'sqlperf vs SQLFluff, CPU per statement, corpus postgres';
const TARGET = '≥ 100× CPU';

/** The sqlfluff executable: on PATH, else where `pip install --user` and pipx put it. */
export function findSqlfluff(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pipxHome = env.PIPX_HOME ?? join(homedir(), '.local', 'pipx');
  const dirs = [...(env.PATH ?? '').split(delimiter), join(homedir(), '.local', 'bin'), env.PIPX_BIN_DIR ?? '', join(pipxHome, 'venvs', 'sqlfluff', 'bin')];
  for (const dir of dirs) {
    const p = join(dir, 'sqlfluff');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export function sqlfluffSection(b: BenchEnv): void {
  const exe = findSqlfluff();
  const dir = join(b.corpusRoot, 'postgres');
  const why = !exe ? 'sqlfluff is not installed (PATH, ~/.local/bin, pipx)' : !existsSync(dir) ? `no corpus at ${dir}` : undefined;
  if (why) {
    console.log(`skipped: ${why}. To include it: pipx install sqlfluff (or apt-get install sqlfluff), and SQLPERF_CORPUS=<folder with postgres/>.\n`);
    b.targets.skip(FIGURE, TARGET, why);
    return;
  }
  const version = spawnSync(exe!, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const statements = countStatements(b.corpusRoot, 'postgres', 'postgresql');
  const rounds = Number(process.env.BENCH_SQLFLUFF_RUNS ?? 1);
  const ours = sqlperf(b, ['lint', '--dialect', 'postgresql', '--concurrency', 'off', '.'], dir);
  b.runner.once(ours); // warm-up of sqlperf only: one SQLFluff run takes minutes
  const [fluff, us] = b.runner.alternate(rounds, [{ cmd: exe!, args: ['lint', '--dialect', 'postgres', '--processes', '1', '.'], cwd: dir }, ours], false);
  const r = ratio(fluff!, us!);
  const per = (cpu: number | undefined) => (cpu === undefined ? 'n/a' : `${((cpu / statements) * 1000).toFixed(0)} µs`);
  table(
    ['corpus postgres', 'wall', 'CPU', 'CPU per statement'],
    [
      [`${version}, 1 process`, ms(fluff!.wall), ms(fluff!.cpu), per(fluff!.cpu)],
      ['sqlperf lint, one thread', ms(us!.wall), ms(us!.cpu), per(us!.cpu)],
      ['SQLFluff / sqlperf', x(r.wall), x(r.cpu), ''],
    ],
  );
  console.log(`${statements.toLocaleString('en-US')} statements; ${rounds} alternating pair(s) (BENCH_SQLFLUFF_RUNS). SQLFluff is a style linter and formatter with many more rules: this compares the cost per statement, not what they find.\n`);
  const judged = r.cpu ?? r.wall;
  b.targets.add(FIGURE, TARGET, `${x(r.cpu)} CPU, ${x(r.wall)} wall`, judged >= 100);
}
