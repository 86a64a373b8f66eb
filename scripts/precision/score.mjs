#!/usr/bin/env node
// Scores a run against the committed verdict tables: every finding of the run is looked up by rule and
// location in docs/precision/*.tsv (repository, commit, rule, severity, location, verdict, reason) and
// counted per rule as worth / noise / wrong, or listed as unjudged (to be judged before quoting a figure).
//
//   node scripts/precision/score.mjs <run dir of run.mjs> <verdicts.tsv>...
//
// The run's per-repository outputs (<name>.json) are read with their paths prefixed by the repository name.
// Plain Node ESM, no dependencies.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, ...tables] = process.argv.slice(2)
if (!dir || !tables.length) { console.error('usage: score.mjs <run dir> <verdicts.tsv>...'); process.exit(2) }
const verdicts = new Map()
for (const t of tables) {
  for (const line of readFileSync(t, 'utf8').trim().split('\n').slice(1)) {
    const [repo, , rule, , location, verdict] = line.split('\t')
    verdicts.set(`${rule} ${repo}/${location}`, verdict.trim())
  }
}
const byRule = new Map()
const all = { worth: 0, noise: 0, wrong: 0, unjudged: 0 }
const unjudged = []
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && !/^(summary|merged)/.test(f))) {
  const repo = f.slice(0, -5)
  for (const r of JSON.parse(readFileSync(join(dir, f), 'utf8'))) {
    for (const m of r.messages) {
      const key = `${m.ruleId} ${repo}/${r.filePath}:${m.line}:${m.column}`
      const v = verdicts.get(key) ?? 'unjudged'
      if (v === 'unjudged') unjudged.push(`${key}  ${m.message.slice(0, 100)}`)
      const s = byRule.get(m.ruleId) ?? { worth: 0, noise: 0, wrong: 0, unjudged: 0 }
      s[v]++
      all[v]++
      byRule.set(m.ruleId, s)
    }
  }
}
const pct = (s) => { const n = s.worth + s.noise + s.wrong; return n ? `${Math.round((100 * s.worth) / n)}%` : '-' }
console.log('| rule | findings | worth | noise | wrong | unjudged | worth % of judged |\n| --- | --- | --- | --- | --- | --- | --- |')
for (const [rule, s] of [...byRule].sort()) console.log(`| ${rule} | ${s.worth + s.noise + s.wrong + s.unjudged} | ${s.worth} | ${s.noise} | ${s.wrong} | ${s.unjudged} | ${pct(s)} |`)
console.log(`| **all** | ${all.worth + all.noise + all.wrong + all.unjudged} | ${all.worth} | ${all.noise} | ${all.wrong} | ${all.unjudged} | ${pct(all)} |`)
if (unjudged.length) console.log(`\nunjudged:\n${unjudged.join('\n')}`)
