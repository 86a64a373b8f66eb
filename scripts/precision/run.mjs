#!/usr/bin/env node
// Precision harness (issue 13): lints real public applications with the built sqlperf CLI and tabulates
// the findings per repo and per rule, so that a later build can be compared with a baseline.
//
//   node scripts/precision/run.mjs --repos /work/repos --out /work/precision/after [--project .]
//        [--config scripts/precision/repos.json] [--only a,b] [--compare /work/precision/baseline] [--timeout 900]
//
// For every repo of repos.json found as <repos>/<name>, runs (sequentially, cwd = the repo)
//   node <project>/dist/src/cli/bin.js lint <paths> --format json --stats --dialect <dialect>
// and writes <out>/<name>.json (ESLint JSON shape, file paths made relative to the repo; files without
// messages dropped), <out>/<name>.stats.txt (the CLI's stderr) and <out>/summary.json. A crash, a time-out
// or unreadable output in one repo is reported in the table; the other repos still run.
// --compare <dir> reads <dir>/summary.json of an earlier run and prints before -> after per rule and repo.
// Plain Node ESM, no dependencies, no build step.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt }
if (args.includes('-h') || args.includes('--help')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'))
  process.exit(0)
}
const project = resolve(opt('--project', join(here, '..', '..')))
const reposRoot = resolve(opt('--repos', '/work/repos'))
const out = resolve(opt('--out', join(process.cwd(), 'precision-out')))
const configPath = resolve(opt('--config', join(here, 'repos.json')))
const only = opt('--only') ? new Set(opt('--only').split(',')) : null
const compareDir = opt('--compare')
const timeoutMs = Number(opt('--timeout', '900')) * 1000
const bin = join(project, 'dist', 'src', 'cli', 'bin.js')

if (!existsSync(bin)) { console.error(`no build at ${bin}: run npm run build in ${project}`); process.exit(2) }
const config = JSON.parse(readFileSync(configPath, 'utf8'))
const repos = (config.repos ?? config).filter((r) => !only || only.has(r.name))
mkdirSync(out, { recursive: true })

/** Reads the `--stats` block from the CLI's stderr; tolerant of wording changes (missing numbers stay null). */
function parseStats(text) {
  const s = { sqlFiles: null, sqlStatements: null, sqlAnalysed: null, sqlSkipped: null, sqlFailed: null, hostFiles: null, hostSites: null, hostAnalysed: null, hostSkipped: null, hostFailed: null, dmlAnalysed: null, dmlTotal: null, schema: null }
  for (const line of text.split('\n')) {
    let m
    if ((m = /^\s*\.sql\s+(\d+) files?, (\d+) statements? found, (\d+) analysed, (\d+) skipped, (\d+) failed/.exec(line))) [s.sqlFiles, s.sqlStatements, s.sqlAnalysed, s.sqlSkipped, s.sqlFailed] = m.slice(1).map(Number)
    else if ((m = /^\s*JS\/TS\s+(\d+) files?, (\d+) SQL sites? found, (\d+) analysed, (\d+) skipped, (\d+) failed/.exec(line))) [s.hostFiles, s.hostSites, s.hostAnalysed, s.hostSkipped, s.hostFailed] = m.slice(1).map(Number)
    else if ((m = /statements .*?(\d+) of (\d+) analysed/.exec(line))) [s.dmlAnalysed, s.dmlTotal] = m.slice(1).map(Number)
    else if ((m = /^sqlperf: schema: (.*)$/.exec(line))) s.schema = m[1]
  }
  return s
}

const rel = (root, p) => { const r = relative(root, p); return r.startsWith('..') ? p : r.split(sep).join('/') }

const summary = { project, projectCommit: gitHead(project), date: new Date().toISOString(), repos: [] }
for (const r of repos) {
  const dir = join(reposRoot, r.name)
  const row = { name: r.name, repo: r.repo, commit: r.commit, dialect: r.dialect, status: 'ok', exit: null, seconds: null, stats: null, errors: 0, warnings: 0, findings: 0, perRule: {} }
  summary.repos.push(row)
  if (!existsSync(dir)) { row.status = 'missing'; console.error(`[${r.name}] missing: ${dir}`); continue }
  const onDisk = existsSync(join(dir, '.precision-commit')) ? readFileSync(join(dir, '.precision-commit'), 'utf8').trim() : gitHead(dir)
  if (onDisk && r.commit && onDisk !== r.commit) { row.commitOnDisk = onDisk; console.error(`[${r.name}] warning: on disk ${onDisk}, repos.json says ${r.commit}`) }
  const cmd = [bin, 'lint', ...(r.paths?.length ? r.paths : ['.']), '--format', 'json', '--stats', ...(r.dialect ? ['--dialect', r.dialect] : []), ...(r.extraArgs ?? [])]
  console.error(`[${r.name}] node ${cmd.map((a) => (a === bin ? relative(process.cwd(), bin) || bin : a)).join(' ')}`)
  const t0 = process.hrtime.bigint()
  const res = spawnSync(process.execPath, cmd, { cwd: dir, encoding: 'utf8', maxBuffer: 2 ** 31 - 1, timeout: timeoutMs })
  row.seconds = Number(process.hrtime.bigint() - t0) / 1e9
  row.exit = res.status
  writeFileSync(join(out, `${r.name}.stats.txt`), `${res.stderr ?? ''}${res.error ? `\n[harness] ${res.error.message}\n` : ''}`)
  row.stats = parseStats(res.stderr ?? '')
  if (res.error) { row.status = res.error.code === 'ETIMEDOUT' ? 'timeout' : `error: ${res.error.message}` }
  else if (res.status !== 0 && res.status !== 1) row.status = `exit ${res.status}${res.signal ? ` (${res.signal})` : ''}: ${(res.stderr ?? '').trim().split('\n').pop()?.slice(0, 120)}`
  let results = null
  try { results = JSON.parse(res.stdout) } catch (e) { if (row.status === 'ok') row.status = `bad JSON: ${e.message.slice(0, 80)}` }
  if (Array.isArray(results)) {
    const kept = results.filter((f) => f.messages?.length || f.suppressedMessages?.length).map((f) => ({ ...f, filePath: rel(dir, f.filePath) }))
    writeFileSync(join(out, `${r.name}.json`), JSON.stringify(kept))
    row.filesWithFindings = kept.filter((f) => f.messages.length).length
    for (const f of kept) for (const m of f.messages) {
      const rule = String(m.ruleId ?? 'unknown').replace(/^sqlperf\//, '')
      row.perRule[rule] = (row.perRule[rule] ?? 0) + 1
      row.findings++
      if (m.severity === 2) row.errors++; else row.warnings++
    }
  }
  console.error(`[${r.name}] ${row.status}, ${row.findings} findings, ${row.seconds.toFixed(1)} s`)
}
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2))

// ---- tables
const pct = (a, b) => (a == null || !b ? '-' : `${((100 * a) / b).toFixed(1)}%`)
const n = (v) => (v == null ? '-' : String(v))
function table(rows) {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ')).join('\n')
}
const rows = [['repo', 'commit', 'dialect', 'status', 'sec', '.sql files', 'sql stmts', 'sql analysed', 'JS/TS files', 'sites', 'sites analysed', 'dml analysed', 'findings', 'errors', 'warnings']]
const tot = { findings: 0, errors: 0, warnings: 0 }
for (const r of summary.repos) {
  const s = r.stats ?? {}
  rows.push([r.name, (r.commit ?? '').slice(0, 10), r.dialect ?? '', r.status.slice(0, 40), r.seconds == null ? '-' : r.seconds.toFixed(1), n(s.sqlFiles), n(s.sqlStatements), pct(s.sqlAnalysed, s.sqlStatements), n(s.hostFiles), n(s.hostSites), pct(s.hostAnalysed, s.hostSites), s.dmlTotal == null ? '-' : `${s.dmlAnalysed}/${s.dmlTotal} ${pct(s.dmlAnalysed, s.dmlTotal)}`, r.findings, r.errors, r.warnings])
  tot.findings += r.findings; tot.errors += r.errors; tot.warnings += r.warnings
}
rows.push(['TOTAL', '', '', '', '', '', '', '', '', '', '', '', tot.findings, tot.errors, tot.warnings])
console.log(`sqlperf ${summary.projectCommit ?? ''} (${project})\n`)
console.log(table(rows))

const perRuleTable = (list) => {
  const rules = [...new Set(list.flatMap((r) => Object.keys(r.perRule)))].sort()
  const t = [['rule', ...list.map((r) => r.name), 'total']]
  for (const rule of rules) {
    const cells = list.map((r) => r.perRule[rule] ?? 0)
    t.push([rule, ...cells, cells.reduce((a, b) => a + b, 0)])
  }
  return t
}
console.log('\nfindings per rule')
console.log(table(perRuleTable(summary.repos)))

if (compareDir) {
  const beforePath = join(resolve(compareDir), 'summary.json')
  if (!existsSync(beforePath)) console.error(`--compare: no ${beforePath}`)
  else {
    const before = JSON.parse(readFileSync(beforePath, 'utf8'))
    const b = new Map(before.repos.map((r) => [r.name, r]))
    const names = summary.repos.map((r) => r.name)
    const rules = [...new Set([...summary.repos, ...before.repos].filter((r) => names.includes(r.name)).flatMap((r) => Object.keys(r.perRule ?? {})))].sort()
    const arrow = (x, y) => (x === y ? String(y) : `${x}→${y}`)
    const t = [['rule', ...names, 'total']]
    for (const rule of rules) {
      let tb = 0, ta = 0
      const cells = summary.repos.map((r) => { const x = b.get(r.name)?.perRule?.[rule] ?? 0, y = r.perRule[rule] ?? 0; tb += x; ta += y; return arrow(x, y) })
      t.push([rule, ...cells, arrow(tb, ta)])
    }
    const stat = (r, k) => r?.stats?.[k]
    t.push(['(findings)', ...summary.repos.map((r) => arrow(b.get(r.name)?.findings ?? 0, r.findings)), arrow(summary.repos.reduce((a, r) => a + (b.get(r.name)?.findings ?? 0), 0), tot.findings)])
    t.push(['(sites)', ...summary.repos.map((r) => arrow(n(stat(b.get(r.name), 'hostSites')), n(stat(r, 'hostSites')))), ''])
    t.push(['(sites analysed)', ...summary.repos.map((r) => arrow(n(stat(b.get(r.name), 'hostAnalysed')), n(stat(r, 'hostAnalysed')))), ''])
    t.push(['(sql analysed)', ...summary.repos.map((r) => arrow(n(stat(b.get(r.name), 'sqlAnalysed')), n(stat(r, 'sqlAnalysed')))), ''])
    t.push(['(seconds)', ...summary.repos.map((r) => arrow((b.get(r.name)?.seconds ?? 0).toFixed(0), (r.seconds ?? 0).toFixed(0))), ''])
    console.log(`\ncompared with ${compareDir} (sqlperf ${before.projectCommit ?? '?'}, ${before.date ?? ''}): before→after`)
    console.log(table(t))
  }
}
console.log(`\noutputs in ${out}`)
const broken = summary.repos.filter((r) => r.status !== 'ok' && r.status !== 'missing')
process.exit(broken.length ? 1 : 0)

function gitHead(dir) {
  const res = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' })
  if (res.status === 0) return res.stdout.trim()
  try { return readFileSync(join(dir, 'COMMIT'), 'utf8').trim() } catch { return null }
}
