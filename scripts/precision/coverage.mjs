#!/usr/bin/env node
// Recall harness (issue 14): an INDEPENDENT extraction of the SQL statements written in each repo's JS/TS
// code, compared with what sqlperf's embed layer finds and analyses.
//
//   node scripts/precision/coverage.mjs --repos /work/repos --out /work/precision/after-coverage [--project .]
//        [--config scripts/precision/repos.json] [--only a,b] [--show 25] [--list]
//
// 1. Candidates (no sqlperf code): every .js/.jsx/.ts/.tsx/.mjs/.cjs/.mts/.cts file (not .d.ts; skipping
//    node_modules, dist, build, .next, out, coverage, vendor(s), third_party, libraries, .git and minified
//    files) is scanned by a small tokenizer that finds string literals, template literals (holes shown as
//    ${…}) and whether a literal starts a `+` concatenation. A literal is a candidate when its text, after
//    leading whitespace, SQL comments and `(`, starts with SELECT / WITH / INSERT / UPDATE / DELETE / MERGE /
//    REPLACE / VALUES (all upper or all lower case) followed by plausible SQL: SELECT … FROM x (or
//    SELECT fn(…) / SELECT 1), WITH x AS (, INSERT INTO x, UPDATE x SET, DELETE FROM x, MERGE INTO x,
//    REPLACE INTO x, VALUES (.
// 2. sqlperf: each file that has a candidate or SQL-looking words is parsed with typescript-estree (from the
//    project's node_modules) and given to <project>/dist/src/embed/index.js findSqlSites + analyzeSite with
//    the repo's dialect and default rules/tags/callees (no sqlperf CLI flags or config are used).
// 3. Matching by host offset: a candidate is "detected" if a site's range contains its start, "analysed" if
//    that site's status is 'analysed'. The rest are grouped by cause: not detected, skipped:<reason>, failed,
//    host file does not parse. Detected sites that match no candidate (fragments, SQL the regexes miss) are
//    listed separately.
// Writes <out>/<name>.coverage.json (everything) and <out>/<name>.coverage.txt (full lists); prints a summary
// and the first --show entries of each group (--list prints all). Plain Node ESM, no build step.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt }
if (args.includes('-h') || args.includes('--help')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'))
  process.exit(0)
}

// ---------------------------------------------------------------- 1. independent candidate extraction
const EXT = /\.(?:[cm]?[jt]s|[jt]sx)$/i
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.next', '.nuxt', '.output', 'out', 'coverage', 'vendor', 'vendors', 'third_party', 'third-party', 'libraries', '.git', '.turbo', '.cache', 'storybook-static'])

export function* walk(dir, root = dir) {
  let entries
  try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name)
    if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) yield* walk(p, root) }
    else if (e.isFile() && EXT.test(e.name) && !/\.d\.[cm]?ts$/i.test(e.name) && !/[.-]min\.[cm]?js$/i.test(e.name)) yield p
  }
}

/** Minified or generated bundles: very long lines on average. */
function minified(code) {
  if (code.length > 2_000_000) return true
  const lines = code.split('\n')
  return code.length > 5000 && code.length / lines.length > 250
}

const REGEX_AFTER = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^', ''])
const REGEX_AFTER_WORD = /(?:^|[^\w$.])(?:return|typeof|case|do|else|in|of|yield|await|void|delete|throw|new)$/

/**
 * Literals of a JS/TS text: { start, end, kind: 'string'|'template', text, holes, concatStart, concatNext }.
 * Tolerant: a quote with no closing quote on its line is not a string (JSX text: `Don't`), a `/` that does
 * not close on its line is not a regular expression.
 */
export function scanLiterals(code) {
  const out = []
  const n = code.length
  let prev = '' // last significant character (or word end)
  let prevEnd = 0
  const lastLit = { ref: null }

  function readString(i) {
    const q = code[i]
    let j = i + 1
    while (j < n) {
      const c = code[j]
      if (c === '\\') { if (code[j + 1] === '\r' && code[j + 2] === '\n') j += 3; else j += 2; continue }
      if (c === q) return j + 1
      if (c === '\n') return -1
      j++
    }
    return -1
  }
  function skipRegex(i) {
    let j = i + 1, cls = false
    while (j < n) {
      const c = code[j]
      if (c === '\\') { j += 2; continue }
      if (c === '\n') return -1
      if (cls) { if (c === ']') cls = false }
      else if (c === '[') cls = true
      else if (c === '/') { j++; while (j < n && /[a-z]/i.test(code[j])) j++; return j }
      j++
    }
    return -1
  }
  function readTemplate(i) {
    let j = i + 1, text = '', holes = 0
    while (j < n) {
      const c = code[j]
      if (c === '\\') { text += code.slice(j, j + 2); j += 2; continue }
      if (c === '`') { j++; break }
      if (c === '$' && code[j + 1] === '{') { text += '${…}'; holes++; j = scanCode(j + 2, true) + 1; continue }
      text += c; j++
    }
    return { end: j, text, holes }
  }
  function push(lit) {
    // a literal right after `+`: a continuation of a concatenation
    lit.afterPlus = prev === '+'
    out.push(lit)
    lastLit.ref = lit
  }
  function scanCode(i, untilBrace) {
    let depth = 0
    while (i < n) {
      const c = code[i]
      if (c === '/' && code[i + 1] === '/') { const e = code.indexOf('\n', i); i = e < 0 ? n : e; continue }
      if (c === '/' && code[i + 1] === '*') { const e = code.indexOf('*/', i + 2); i = e < 0 ? n : e + 2; continue }
      if (/\s/.test(c)) { i++; continue }
      if (lastLit.ref && lastLit.ref.end === prevEnd && c === '+') lastLit.ref.concatStart = !lastLit.ref.afterPlus
      if (c === '"' || c === "'") {
        const e = readString(i)
        if (e > 0) { push({ start: i, end: e, kind: 'string', text: code.slice(i + 1, e - 1), holes: 0 }); prev = 'lit'; prevEnd = i = e; continue }
        prev = c; i++; prevEnd = i; continue
      }
      if (c === '`') {
        const t = readTemplate(i)
        push({ start: i, end: t.end, kind: 'template', text: t.text, holes: t.holes })
        prev = 'lit'; prevEnd = i = t.end; continue
      }
      if (c === '/' && (REGEX_AFTER.has(prev) || REGEX_AFTER_WORD.test(code.slice(Math.max(0, i - 12), i).trimEnd()))) {
        const e = skipRegex(i)
        if (e > 0) { prev = 'lit'; prevEnd = i = e; continue }
      }
      if (c === '{') depth++
      else if (c === '}') { if (untilBrace && depth === 0) return i; depth-- }
      if (/[\w$]/.test(c)) { let j = i; while (j < n && /[\w$]/.test(code[j])) j++; prev = 'w'; prevEnd = i = j; continue }
      prev = c; i++; prevEnd = i
    }
    return n
  }
  scanCode(0, false)
  return out
}

const LEAD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/
const ID = String.raw`(?:[\w$."\x60\[\]]|\$\{…\})+`
const ENGLISH = /^(?:the|a|an|your|this|that|these|those|my|our|their|it|its|list|here|there|all|any|one|each|which|what|to|from|and|or|is|are)\b/i
const SHAPES = {
  select: (t) => {
    const m = /^select\s+(?:distinct\s+(?:on\s*\([^)]*\)\s*)?|all\s+|top\s+\d+\s+)?([\s\S]*?)\bfrom\s+([\s\S]{0,20})/i.exec(t)
    if (m && !ENGLISH.test(m[1]) && !ENGLISH.test(m[2]) && /^(?:[\w$"\x60\[(]|\$\{…\})/.test(m[2])) return true
    // SELECT with no FROM: SELECT 1, SELECT now(), SELECT $1, SELECT pg_advisory_lock(…)
    return /^SELECT\s+(?:\d|\$|\?|[\w.]+\s*\(|'|:)/.test(t) || /^select\s+(?:\d+\b|\$\d|[\w.]+\s*\([^)]*\)\s*(?:as\s+\w+\s*)?;?\s*$)/.test(t)
  },
  with: (t) => new RegExp(String.raw`^with\s+(?:recursive\s+)?${ID}\s*(?:\([^)]*\)\s*)?as\s+(?:not\s+)?(?:materialized\s+)?\(`, 'i').test(t),
  insert: (t) => /^insert\s+(?:or\s+\w+\s+|ignore\s+|low_priority\s+|delayed\s+|high_priority\s+)?into\s+\S/i.test(t),
  replace: (t) => /^replace\s+(?:low_priority\s+|delayed\s+)?into\s+\S/i.test(t),
  update: (t) => new RegExp(String.raw`^update\s+(?:only\s+|low_priority\s+|ignore\s+|or\s+\w+\s+)?${ID}(?:\s+(?:as\s+)?\w+)?\s+set\s`, 'i').test(t),
  delete: (t) => { const m = /^delete\s+(?:\w+\s+)?from\s+(\S+)/i.exec(t); return !!m && !ENGLISH.test(m[1]) },
  merge: (t) => /^merge\s+into\s+\S/i.test(t),
  values: (t) => /^values\s*\(/i.test(t),
}

/** The DML keyword if the literal text is a plausible SQL statement, else null. */
export function sqlShape(text) {
  const t = text.replace(LEAD, '')
  const m = /^([A-Za-z]+)\b/.exec(t)
  if (!m) return null
  const w = m[1]
  if (w !== w.toUpperCase() && w !== w.toLowerCase()) return null // `Select a file`, `Update`
  const k = w.toLowerCase()
  return SHAPES[k] && SHAPES[k](t) ? k : null
}

function lineStarts(code) { const s = [0]; for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) s.push(i + 1); return s }
function lineCol(starts, at) { let lo = 0, hi = starts.length - 1; while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= at) lo = mid; else hi = mid - 1 } return { line: lo + 1, column: at - starts[lo] + 1 } }
const short = (s, len = 80) => s.replace(/\s+/g, ' ').trim().slice(0, len)
const area = (p) => /(?:^|\/)(?:migrations?|migrate|db\/migrat|prisma\/migrations|knex_migrations|old_migrations)(?:\/|$)|migration/i.test(p) ? 'migration'
  : /(?:^|\/)(?:tests?|__tests__|spec|specs|e2e|cypress|fixtures?|__mocks__|mocks?)(?:\/|$)|\.(?:test|spec|e2e)\.[cm]?[jt]sx?$/i.test(p) ? 'test'
    : /(?:^|\/)(?:seeds?|seeders?|scripts?|tools?|bin)(?:\/|$)|seed/i.test(p) ? 'script/seed' : 'app'

// ---------------------------------------------------------------- 2. sqlperf's embed layer
const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) await main()

async function main() {
  const project = resolve(opt('--project', join(here, '..', '..')))
  const reposRoot = resolve(opt('--repos', '/work/repos'))
  const out = resolve(opt('--out', join(process.cwd(), 'coverage-out')))
  const config = JSON.parse(readFileSync(resolve(opt('--config', join(here, 'repos.json'))), 'utf8'))
  const only = opt('--only') ? new Set(opt('--only').split(',')) : null
  const show = args.includes('--list') ? Infinity : Number(opt('--show', '25'))
  mkdirSync(out, { recursive: true })

  const embedPath = join(project, 'dist', 'src', 'embed', 'index.js')
  if (!existsSync(embedPath)) { console.error(`no build at ${embedPath}: run npm run build in ${project}`); process.exit(2) }
  const embed = await import(pathToFileURL(embedPath).href)
  const readyPath = [join(project, 'dist', 'src', 'ready.js'), join(project, 'dist', 'src', 'api.js')].find(existsSync)
  const ready = readyPath ? (await import(pathToFileURL(readyPath).href)).ready : null
  const req = createRequire(join(project, 'package.json'))
  const { parse } = req('@typescript-eslint/typescript-estree')
  const loose = /\b(?:SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|JOIN|VALUES)\b|\b(?:select|insert|update|delete|where|from)\b[^\n]{0,100}\b(?:from|into|set|where|join|and|order by|group by)\b/

  const totals = []
  for (const r of (config.repos ?? config).filter((x) => !only || only.has(x.name))) {
    const dir = join(reposRoot, r.name)
    if (!existsSync(dir)) { console.log(`\n## ${r.name}: missing (${dir})`); continue }
    const dialect = r.dialect ?? 'postgresql'
    if (ready) await ready([dialect, 'postgresql'])
    const t0 = Date.now()
    const candidates = [], orphanSites = [], hostErrors = []
    let files = 0, parsedFiles = 0, skippedMinified = 0, siteCount = 0
    const siteStatus = {}
    for (const abs of walk(dir)) {
      let code
      try { if (statSync(abs).size > 3_000_000) { skippedMinified++; continue } code = readFileSync(abs, 'utf8') } catch { continue }
      if (minified(code)) { skippedMinified++; continue }
      files++
      const file = relative(dir, abs).split(sep).join('/')
      const lits = scanLiterals(code)
      const starts = lineStarts(code)
      const mine = []
      for (const l of lits) {
        const kw = sqlShape(l.text)
        if (!kw) continue
        const { line, column } = lineCol(starts, l.start)
        mine.push({ file, line, column, start: l.start, keyword: kw, kind: l.concatStart ? 'concat' : l.kind, holes: l.holes, continuation: !!l.afterPlus, area: area(file), text: short(l.text), cause: 'not detected', via: null })
      }
      candidates.push(...mine)
      if (!mine.length && !loose.test(code)) continue
      // sqlperf: parse the host file, find and analyse the sites
      let program
      const base = { range: true, comment: true, loc: false, tokens: false, errorOnUnknownASTType: false, filePath: abs }
      const jsx = !/\.[cm]?ts$/i.test(abs)
      try { program = parse(code, { ...base, jsx }) } catch (e) {
        try { program = parse(code, { ...base, jsx: !jsx }) } catch {
          hostErrors.push(`${file}: ${String(e.message).split('\n')[0]}`)
          for (const c of mine) c.cause = 'host file does not parse'
          continue
        }
      }
      parsedFiles++
      let sites = []
      try { sites = embed.findSqlSites(program, code, {}) } catch (e) { hostErrors.push(`${file}: findSqlSites threw ${e.message}`) }
      siteCount += sites.length
      const results = sites.map((s) => { try { return embed.analyzeSite(s, { dialect }) } catch (e) { return { status: 'failed', reason: `threw: ${e.message}` } } })
      // as the CLI does: in a file with ClickHouse SQL, an uncertain site that does not parse is ClickHouse too
      const chFile = results.some((x) => x.reason === 'clickhouse')
      sites.forEach((s, i) => {
        const res = results[i]
        const status = res.status === 'skipped' ? `skipped: ${chFile && res.reason === 'unparsable' && !s.certain ? 'clickhouse' : res.reason}` : res.status
        siteStatus[status] = (siteStatus[status] ?? 0) + 1
        const inside = mine.filter((c) => c.start >= s.range[0] && c.start < s.range[1])
        for (const c of inside) { if (c.via === null || status === 'analysed') { c.cause = status; c.via = s.via; c.certain = s.certain } }
        if (!inside.length) {
          const { line, column } = lineCol(starts, s.range[0])
          const preview = s.parts.map((p) => code.slice(p.start, p.end)).join('${…}')
          orphanSites.push({ file, line, column, via: s.via, kind: s.kind, status, area: area(file), text: short(preview) })
        }
      })
    }
    const seconds = (Date.now() - t0) / 1000
    const detected = candidates.filter((c) => c.cause !== 'not detected' && c.cause !== 'host file does not parse')
    const analysed = candidates.filter((c) => c.cause === 'analysed')
    const groups = groupBy(candidates.filter((c) => c.cause !== 'analysed'), (c) => c.cause)
    const orphanGroups = groupBy(orphanSites, (s) => `${s.status} (via ${s.via.replace(/:.*/, '')})`)
    const byArea = groupBy(candidates, (c) => c.area)
    const areaLine = [...byArea].sort().map(([a, l]) => `${a} ${l.filter((c) => c.cause === 'analysed').length}/${l.length}`).join(', ')
    const row = { name: r.name, dialect, files, parsedFiles, skippedMinified, sites: siteCount, candidates: candidates.length, detected: detected.length, analysed: analysed.length, causes: Object.fromEntries([...groups].map(([k, v]) => [k, v.length])), orphans: orphanSites.length, orphanCauses: Object.fromEntries([...orphanGroups].map(([k, v]) => [k, v.length])), siteStatus, seconds, byArea: areaLine }
    totals.push(row)
    const fmtC = (c) => `  ${c.file}:${c.line}:${c.column}  [${c.area}${c.kind === 'concat' ? ', concat' : ''}${c.continuation ? ', after +' : ''}${c.via ? `, ${c.via}` : ''}]  ${c.text}`
    const fmtS = (s) => `  ${s.file}:${s.line}:${s.column}  [${s.area}, ${s.via}]  ${s.text}`
    const report = (limit) => {
      const lines = [`\n## ${r.name} (${r.repo} ${String(r.commit ?? '').slice(0, 10)}, ${dialect}): ${files} JS/TS files (${skippedMinified} minified/huge skipped), ${parsedFiles} parsed, ${siteCount} sqlperf sites, ${seconds.toFixed(1)} s`]
      lines.push(`candidates ${candidates.length}, detected ${detected.length} (${pct(detected.length, candidates.length)}), analysed ${analysed.length} (${pct(analysed.length, candidates.length)}); analysed by area: ${areaLine}`)
      lines.push(`sites by status: ${Object.entries(siteStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`)
      for (const [cause, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
        lines.push(`-- candidates not analysed: ${cause}: ${list.length}`)
        for (const c of list.slice(0, limit)) lines.push(fmtC(c))
        if (list.length > limit) lines.push(`  … ${list.length - limit} more`)
      }
      for (const [k, list] of [...orphanGroups].sort((a, b) => b[1].length - a[1].length)) {
        lines.push(`-- sqlperf sites matching no candidate: ${k}: ${list.length}`)
        for (const s of list.slice(0, limit)) lines.push(fmtS(s))
        if (list.length > limit) lines.push(`  … ${list.length - limit} more`)
      }
      if (hostErrors.length) { lines.push(`-- host files that do not parse: ${hostErrors.length}`); for (const h of hostErrors.slice(0, limit)) lines.push(`  ${h}`) }
      return lines.join('\n')
    }
    console.log(report(show))
    writeFileSync(join(out, `${r.name}.coverage.txt`), report(Infinity) + '\n')
    writeFileSync(join(out, `${r.name}.coverage.json`), JSON.stringify({ ...row, repo: r.repo, commit: r.commit, candidates, orphanSites, hostErrors }, null, 1))
  }

  const causes = [...new Set(totals.flatMap((t) => Object.keys(t.causes)))].sort()
  const rows = [['repo', 'files', 'sites', 'candidates', 'detected', 'analysed', ...causes, 'sites w/o candidate', 'sec']]
  for (const t of totals) rows.push([t.name, t.files, t.sites, t.candidates, `${t.detected} ${pct(t.detected, t.candidates)}`, `${t.analysed} ${pct(t.analysed, t.candidates)}`, ...causes.map((c) => t.causes[c] ?? 0), t.orphans, t.seconds.toFixed(0)])
  const sum = (k) => totals.reduce((a, t) => a + t[k], 0)
  rows.push(['TOTAL', sum('files'), sum('sites'), sum('candidates'), `${sum('detected')} ${pct(sum('detected'), sum('candidates'))}`, `${sum('analysed')} ${pct(sum('analysed'), sum('candidates'))}`, ...causes.map((c) => totals.reduce((a, t) => a + (t.causes[c] ?? 0), 0)), sum('orphans'), ''])
  console.log('\nrecall summary (candidates = independent extraction; detected/analysed = sqlperf embed layer)')
  console.log(table(rows))
  writeFileSync(join(out, 'coverage-summary.json'), JSON.stringify({ project, date: new Date().toISOString(), repos: totals }, null, 2))
}

function groupBy(list, key) { const m = new Map(); for (const x of list) { const k = key(x); if (!m.has(k)) m.set(k, []); m.get(k).push(x) } return m }
function pct(a, b) { return b ? `${((100 * a) / b).toFixed(1)}%` : '-' }
function table(rows) {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)))
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ')).join('\n')
}
