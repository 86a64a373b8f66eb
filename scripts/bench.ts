// `npm run bench`: sqlperf's own benchmark. Medians of several runs; ratios are what hold on a noisy machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ready } from '../src/api.js';
import { benchCore } from './bench-core.js';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const corpus = process.env.SQLPERF_CORPUS ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'sqlfluff-dialects');

await ready();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`sqlperf benchmark: median of ${runs} runs after a warm-up, node ${process.version}\n`);
if (!existsSync(corpus)) {
  console.log(`(a)/(b) skipped: no corpus at ${corpus} (set SQLPERF_CORPUS)`);
} else {
  console.log('(a) bare parse vs (b) sqlperf analyze with every rule, same statements');
  console.log('| corpus | statements | (a) parse stmt/s | (b) analyze stmt/s | (b)/(a) time |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of benchCore(corpus, runs)) {
    console.log(`| ${r.corpus} | ${r.statements} | ${fmt((r.statements / r.bareMs) * 1000)} | ${fmt((r.statements / r.analyzeMs) * 1000)} | ${(r.analyzeMs / r.bareMs).toFixed(2)} |`);
  }
}
console.log(`\npeak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
