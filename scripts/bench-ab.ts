// `node dist/scripts/bench-ab.js <dist-A> [dist-B] [folder] [rounds]`: the lint CPU of two builds
// of sqlperf (two `dist` folders, e.g. one built from an older commit in a git worktree) on the
// same corpus folder, in one process. Each build runs in blocks of passes that pay for their own
// garbage, in A B B A order; the medians and B/A are printed. For checking one change's effect on a
// shared machine, where two separate runs differ by more than the change.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { analyze as Analyze } from '../src/analyze.js';
import type { AnyRule } from '../src/rule.js';
import { CORPUS_DIALECTS, LINT_OPTIONS, median } from './bench-core.js';

interface Build {
  analyze: typeof Analyze;
  every: Record<string, 'warn'>;
}

async function load(dist: string): Promise<Build> {
  const url = (p: string) => pathToFileURL(join(resolve(dist), p)).href;
  const { analyze } = (await import(url('src/analyze.js'))) as { analyze: typeof Analyze };
  const { ready } = (await import(url('src/api.js'))) as { ready: () => Promise<void> };
  const { rules } = (await import(url('rules/index.js'))) as { rules: readonly AnyRule[] };
  await ready();
  return { analyze, every: Object.fromEntries(rules.map((r) => [r.name, 'warn' as const])) };
}

const cpuOf = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

const [distA, distB = join(import.meta.dirname, '..'), folder = 'postgres', roundsArg = '8'] = process.argv.slice(2);
if (!distA) {
  console.error('usage: node dist/scripts/bench-ab.js <dist-A> [dist-B (this build)] [corpus folder (postgres)] [rounds (8)]');
  process.exit(2);
}
const dialect = CORPUS_DIALECTS[folder];
if (!dialect) throw new Error(`unknown corpus folder ${folder}: one of ${Object.keys(CORPUS_DIALECTS).join(', ')}`);
const corpus = process.env.SQLPERF_CORPUS ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'sqlfluff-dialects');
const dir = join(corpus, folder);
const texts = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
const builds = [await load(distA), await load(distB)];
const passes = builds.map((b) => () => texts.forEach((t) => b.analyze(t, { dialect, rules: b.every, ...LINT_OPTIONS })));
const times: number[][] = [[], []];
const BLOCK = 5;
for (let r = 0; r < Number(roundsArg); r++) {
  for (const k of r % 2 ? [1, 0] : [0, 1]) {
    passes[k]!(); // the block's first pass settles the heap after the other build's
    for (let i = 0; i < BLOCK; i++) times[k]!.push(cpuOf(passes[k]!));
  }
}
const [a, b] = times.map(median) as [number, number];
console.log(`${folder} (${texts.length} files), lint with every rule, median CPU of ${times[0]!.length} passes each: A ${a.toFixed(1)} ms, B ${b.toFixed(1)} ms, B/A ${(b / a).toFixed(3)}`);
