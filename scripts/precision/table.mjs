#!/usr/bin/env node
// Turns judged sample TSVs (sample-findings.mjs format) into the committed verdict table and the
// per-rule score, without the finding messages (they quote the applications' SQL):
//   node scripts/precision/table.mjs <judged.tsv>... > docs/precision/<round>.tsv
//   node scripts/precision/table.mjs --score <judged.tsv>... [--survivors <merged lint.json>]
// With --survivors, only the judged findings that a later run still reports (same rule and location)
// are scored: how the judged sample fares after a change, without judging again.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const score = args[0] === '--score';
const si = args.indexOf('--survivors');
const survivorsFile = si >= 0 ? args[si + 1] : undefined;
if (si >= 0) args.splice(si, 2);
const files = score ? args.slice(1) : args;
if (!files.length) {
  console.error('usage: table.mjs [--score] <judged.tsv>...');
  process.exit(2);
}
const repos = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'repos.json'), 'utf8')).repos;
const commitOf = new Map(repos.map((r) => [r.name, r.commit.slice(0, 10)]));
let rows = files.flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t')),
);
if (survivorsFile) {
  const still = new Set(JSON.parse(readFileSync(survivorsFile, 'utf8')).flatMap((r) => r.messages.map((m) => `${String(m.ruleId).replace(/^sqlperf\//, '')} ${r.filePath}:${m.line}:${m.column}`)));
  const before = rows.length;
  rows = rows.filter(([rule, , location]) => still.has(`${rule} ${location}`));
  console.log(`${rows.length} of ${before} judged findings are still reported\n`);
}
if (score) {
  const by = new Map();
  for (const [rule, severity, , , verdict] of rows) {
    const s = by.get(rule) ?? { severity, worth: 0, noise: 0, wrong: 0 };
    if (s.severity !== severity) s.severity = 'warn/error';
    s[verdict.trim()]++;
    by.set(rule, s);
  }
  const all = { worth: 0, noise: 0, wrong: 0 };
  const err = { worth: 0, n: 0 };
  console.log('| rule | severity | judged | worth | noise | wrong | worth % |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const [rule, s] of [...by].sort()) {
    const n = s.worth + s.noise + s.wrong;
    for (const k of ['worth', 'noise', 'wrong']) all[k] += s[k];
    console.log(`| ${rule} | ${s.severity} | ${n} | ${s.worth} | ${s.noise} | ${s.wrong} | ${Math.round((100 * s.worth) / n)}% |`);
  }
  for (const [, severity, , , verdict] of rows) if (severity === 'error') { err.n++; if (verdict.trim() === 'worth') err.worth++; }
  const n = all.worth + all.noise + all.wrong;
  console.log(`| **all** | | ${n} | ${all.worth} | ${all.noise} | ${all.wrong} | ${Math.round((100 * all.worth) / n)}% |`);
  console.log(`\nerror-severity findings judged: ${err.n}, worth: ${err.worth} (${err.n ? Math.round((100 * err.worth) / err.n) : 0}%)`);
} else {
  console.log(['repository', 'commit', 'rule', 'severity', 'location', 'verdict', 'reason'].join('\t'));
  for (const [rule, severity, location, , verdict, reason] of rows) {
    const repo = location.split('/')[0];
    console.log([repo, commitOf.get(repo) ?? '', rule, severity, location.slice(repo.length + 1), verdict.trim(), (reason ?? '').trim()].join('\t'));
  }
}
