// Timing child processes for `npm run bench`: wall time, CPU time (user + system) and peak RSS of
// each run, and alternating runs (A B A B ...) whose ratios are taken run by run, so that load on
// a shared machine falls on both sides of a ratio alike.
//
// spawnSync reports no CPU time, so each command runs under GNU time (`-f '%e %U %S %M'`) when it is
// installed; otherwise a Node command gets a preloaded CommonJS module that writes the process's
// own CPU time and peak RSS at exit (other commands then have wall time only).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './bench-core.js';
import type { Targets } from './bench-report.js';

export interface Sample {
  /** Milliseconds, spawn included. */
  wall: number;
  /** CPU milliseconds (user + system), when the platform tells. */
  cpu?: number;
  rssKb?: number;
  code: number | null;
  stderr: string;
}

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** Runs before each run, untimed (a cache to drop, a file to change). */
  before?: () => void;
}

/** The runs of one command in an alternation, and their medians. */
export interface Series {
  samples: Sample[];
  wall: number;
  cpu?: number;
  /** The highest peak RSS of the runs. */
  rssKb?: number;
}

export class Runner {
  readonly gnuTime: boolean;
  private readonly outFile: string;
  private readonly preload: string;

  constructor(private readonly tmp: string) {
    this.gnuTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { stdio: 'ignore' }).status === 0;
    this.outFile = join(tmp, 'usage.txt');
    this.preload = join(tmp, 'usage.cjs');
    writeFileSync(
      this.preload,
      "process.on('exit', () => { const c = process.cpuUsage(); require('node:fs').writeFileSync(process.env.BENCH_USAGE_FILE, `${(c.user + c.system) / 1000} ${process.resourceUsage().maxRSS}`); });\n",
    );
  }

  get accounting(): string {
    return this.gnuTime ? 'CPU time and peak RSS of commands from GNU time' : 'CPU time and peak RSS of Node commands from a preloaded module (no GNU time)';
  }

  /** One run: wall time, CPU time, peak RSS, exit code. */
  once(c: Command): Sample {
    c.before?.();
    rmSync(this.outFile, { force: true });
    const env = { ...process.env, ...c.env, BENCH_USAGE_FILE: this.outFile, FORCE_COLOR: '0' };
    let argv = [c.cmd, ...c.args];
    if (this.gnuTime) argv = ['/usr/bin/time', '-f', '%e %U %S %M', '-o', this.outFile, ...argv];
    else if (c.cmd === process.execPath) argv = [c.cmd, '-r', this.preload, ...c.args];
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: c.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wall = performance.now() - t0;
    return { wall, ...this.usage(), code: r.status, stderr: r.stderr ?? '' };
  }

  private usage(): { cpu?: number; rssKb?: number } {
    if (!existsSync(this.outFile)) return {};
    // GNU time puts "Command exited with non-zero status N" first; the figures are the last line
    const last = readFileSync(this.outFile, 'utf8').trim().split('\n').pop() ?? '';
    const n = last.split(' ').map(Number);
    if (n.some((v) => !Number.isFinite(v))) return {};
    if (this.gnuTime) return { cpu: (n[1]! + n[2]!) * 1000, rssKb: n[3]! };
    return { cpu: n[0]!, rssKb: n[1]! };
  }

  /**
   * `rounds` rounds of every command in turn (after one untimed warm-up round unless `warmup` is
   * false). Exit codes 0 and 1 (findings) are fine; anything else throws with the command's stderr.
   */
  alternate(rounds: number, cmds: Command[], warmup = true): Series[] {
    if (warmup) cmds.forEach((c) => this.once(c));
    const all = cmds.map((): Sample[] => []);
    for (let i = 0; i < rounds; i++) {
      cmds.forEach((c, k) => {
        const s = this.once(c);
        if (s.code === null || s.code > 1) throw new Error(`${[c.cmd, ...c.args].join(' ')} failed (exit ${s.code}): ${s.stderr.slice(0, 400)}`);
        all[k]!.push(s);
      });
    }
    return all.map(summarise);
  }
}

function summarise(samples: Sample[]): Series {
  const cpus = samples.map((s) => s.cpu).filter((v): v is number => v !== undefined);
  const rss = samples.map((s) => s.rssKb).filter((v): v is number => v !== undefined);
  return {
    samples,
    wall: median(samples.map((s) => s.wall)),
    ...(cpus.length === samples.length ? { cpu: median(cpus) } : {}),
    ...(rss.length ? { rssKb: Math.max(...rss) } : {}),
  };
}

/** The median, over the rounds, of b's time divided by a's in the same round (wall, and CPU when both have it). */
export function ratio(b: Series, a: Series): { wall: number; cpu?: number } {
  const wall = median(b.samples.map((s, i) => s.wall / a.samples[i]!.wall));
  if (b.cpu === undefined || a.cpu === undefined) return { wall };
  return { wall, cpu: median(b.samples.map((s, i) => s.cpu! / Math.max(a.samples[i]!.cpu!, 1e-3))) };
}

/** What every section of `npm run bench` works with. */
export interface BenchEnv {
  /** The package root (dist's parent). */
  root: string;
  /** dist/sqlperf.js, the bundled CLI (the package's bin) */
  bin: string;
  /** The benchmark's temp folder: generated inputs go here. */
  tmp: string;
  runner: Runner;
  targets: Targets;
  /** Rounds for short commands, for long ones, for in-process work. */
  pairs: number;
  longPairs: number;
  runs: number;
  corpusRoot: string;
}

/** `sqlperf <args>` as a user runs it (`node dist/sqlperf.js`), in `cwd`. */
export function sqlperf(b: BenchEnv, args: string[], cwd: string, more: Partial<Command> = {}): Command {
  return { cmd: process.execPath, args: [b.bin, ...args], cwd, ...more };
}

/** `node -e 0`: Node's own start, the floor of any CLI written for it. */
export const nodeZero = (cwd: string): Command => ({ cmd: process.execPath, args: ['-e', '0'], cwd });
