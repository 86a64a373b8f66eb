import type { Dialect } from '../dialect.js';
import { parseText } from '../parse/index.js';
import type { Range } from '../range.js';
import { fillText, type HoleFill } from './hole-shapes.js';
import type { Hole, Piece } from './pieces.js';
import { placeholderHoles } from './placeholders.js';

/**
 * The search for hole fills that parse: the SQL text built from pieces and a choice of fill per
 * hole, parse failures ranked by how far they got, and the holes near an error retried down their chains.
 */

export interface Built {
  sql: string;
  starts: number[];
  ends: number[];
  holes: HoleFill[];
  synthetic: Range[];
}

function build(pieces: Piece[], choice: number[], dialect: Dialect, firstParam: number): Built {
  let sql = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const holes: HoleFill[] = [];
  const synthetic: Range[] = [];
  let h = 0;
  for (const p of pieces) {
    if (p.kind === 'synthetic') {
      synthetic.push({ start: sql.length, end: sql.length + p.text.length });
      sql += p.text;
      for (let k = 0; k < p.text.length; k++) {
        starts.push(p.at);
        ends.push(p.at);
      }
      continue;
    }
    if (p.kind === 'text') {
      sql += p.cooked.text;
      for (let k = 0; k < p.cooked.text.length; k++) {
        starts.push(p.cooked.starts[k]!);
        ends.push(p.cooked.ends[k]!);
      }
      continue;
    }
    const kind = p.hole.chain[choice[h]!]!;
    const text = kind === 'name' && p.hole.name ? p.hole.name.text : fillText(kind, firstParam + h, dialect);
    const at = sql.length;
    sql += text;
    for (let k = 0; k < text.length; k++) {
      starts.push(p.hole.host.start);
      ends.push(p.hole.host.end);
    }
    holes.push({ sql: { start: at, end: sql.length }, host: p.hole.host, as: kind, origin: p.hole.origin });
    h++;
  }
  return { sql, starts, ends, holes, synthetic };
}

interface Failure {
  stmt: Range;
  error: Range;
  /** It parsed, but a fill was read as a typed literal: closer to success than any syntax error. */
  typed?: true;
}

function failures(sql: string, dialect: Dialect): Failure[] {
  let parsed;
  try {
    parsed = parseText(sql, dialect);
  } catch {
    return [{ stmt: { start: 0, end: sql.length }, error: { start: 0, end: sql.length } }];
  }
  return parsed.statements.flatMap((s) => (s.parser === 'none' && s.error.kind !== 'limit' ? [{ stmt: s.range, error: s.error.range }] : []));
}

interface Attempt {
  built: Built;
  failed: number;
  attempts: number;
}

/**
 * A placeholder name right before a value parses as a typed literal (`__sqlperf_p1 $2` reads as a
 * cast of `$2` to a type named `__sqlperf_p1`, `__sqlperf_p1 'x'` as a constant of that type):
 * it parsed, but not as the code means it, so it counts as a failed fill.
 */
function typedLiterals(b: Built): Failure[] {
  const out: Failure[] = [];
  for (const h of b.holes) {
    if (h.as === 'identifier' || h.as === 'name') {
      if (/^\s+(?:\$\d|:p\d|')/.test(b.sql.slice(h.sql.end, h.sql.end + 12))) out.push({ stmt: { start: 0, end: b.sql.length }, error: h.sql, typed: true });
    } else if (h.as === 'value' && h.origin === 'template') {
      // `n.nspowner = u.oid ${cond}`: `u.oid $1` reads as CAST($1 AS u.oid) and the predicate is lost
      const m = /(?:^|[^\w$."])((?:(?:"[^"]+"|[A-Za-z_][\w$]*)\.)*(?:"[^"]+"|[A-Za-z_][\w$]*))\s+$/.exec(b.sql.slice(Math.max(0, h.sql.start - 80), h.sql.start));
      const name = m?.[1];
      if (name !== undefined && (name.includes('.') || !VALUE_AFTER.has(name.toUpperCase()))) out.push({ stmt: { start: 0, end: b.sql.length }, error: h.sql, typed: true });
    }
  }
  // the first one only: a text that parses with one misread fill is closer than any syntax error, and fixing them left to right is progress
  return out.slice(0, 1);
}

/** Words after which a value stands (`LIMIT $1`, `THEN $1`, `INTERVAL $1`): a value hole there is not a typed literal by mistake. */
const VALUE_AFTER = new Set(
  'SELECT WHERE AND OR NOT ON LIMIT OFFSET THEN ELSE WHEN CASE IN IS LIKE ILIKE BETWEEN VALUES SET RETURNING DISTINCT ALL ANY SOME EXISTS HAVING INTERVAL DATE TIME TIMESTAMP TIMESTAMPTZ FETCH FIRST NEXT ESCAPE SIMILAR TO RETURN USING DEFAULT ARRAY ROW BY AS FROM INTO WITH ONLY TOP ZONE UNION EXCEPT INTERSECT DO OVERLAPS COLLATE MATCH AGAINST REGEXP RLIKE GLOB DIV MOD XOR LEADING TRAILING BOTH FOR OVER ROWS RANGE PRECEDING FOLLOWING UNBOUNDED EXECUTE CALL PERFORM RAISE NOTICE JSON JSONB UUID TEXT BOOLEAN INTEGER BIGINT NUMERIC REAL'.split(' '),
);

function failuresOf(b: Built, dialect: Dialect): Failure[] {
  const f = failures(b.sql, dialect);
  return f.length ? f : typedLiterals(b);
}

/** How far a fill got: no failure is best, then fewer failures, then a later first error. */
function progress(fails: Failure[]): [number, number] {
  const [first] = fails;
  return first ? [fails.length, first.typed ? -1e9 - first.error.start : -first.error.start] : [0, 0];
}

function better(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/** Ranks the holes a parse error may come from: the one at the error, then the nearest before it, then after. */
function suspects(holes: HoleFill[], f: Failure, canAdvance: (i: number) => boolean): number[] {
  const scored: Array<[number, number]> = [];
  holes.forEach((h, i) => {
    if (!canAdvance(i)) return;
    if (h.sql.end < f.stmt.start - 1 || h.sql.start > f.stmt.end + 1) return;
    let score: number;
    if (h.sql.start <= f.error.end && h.sql.end >= f.error.start) score = 0;
    else if (h.sql.end <= f.error.start) score = f.error.start - h.sql.end;
    else score = 1e6 + (h.sql.start - f.error.end);
    scored.push([score, i]);
  });
  return scored.sort((a, b) => a[0] - b[0]).map(([, i]) => i);
}

/**
 * Fills every hole with the first shape of its chain, then, while a statement fails, changes the
 * fill of a hole near the error: the first change (among the 3 nearest holes, each down its chain)
 * that moves the error later or removes it is kept; when none does, the nearest hole moves on one
 * step. Bounded by a parse budget.
 */
function fillAndRetry(pieces: Piece[], dialect: Dialect, firstParam: number): { best: Attempt; first: Attempt } {
  const holes = pieces.filter((p): p is { kind: 'hole'; hole: Hole } => p.kind === 'hole').map((p) => p.hole);
  const choice = holes.map(() => 0);
  let built = build(pieces, choice, dialect, firstParam);
  let fails = failuresOf(built, dialect);
  const first: Attempt = { built, failed: fails.length, attempts: 1 };
  let attempts = 1;
  const budget = Math.min(400, 8 * holes.reduce((s, h) => s + h.chain.length, 1));
  const canAdvance = (k: number) => choice[k]! + 1 < holes[k]!.chain.length;
  while (fails.length && attempts < budget) {
    const order = suspects(built.holes, fails[0]!, canAdvance);
    if (!order.length) break;
    const now = progress(fails);
    let moved = false;
    for (const i of order.slice(0, 3)) {
      for (let c = choice[i]! + 1; c < holes[i]!.chain.length && attempts < budget; c++) {
        const trial = choice.slice();
        trial[i] = c;
        const b = build(pieces, trial, dialect, firstParam);
        const f = failuresOf(b, dialect);
        attempts++;
        if (better(progress(f), now)) {
          choice[i] = c;
          built = b;
          fails = f;
          moved = true;
          break;
        }
      }
      if (moved) break;
    }
    if (!moved) {
      choice[order[0]!]!++;
      built = build(pieces, choice, dialect, firstParam);
      fails = failuresOf(built, dialect);
      attempts++;
    }
  }
  return { best: { built, failed: fails.length, attempts }, first };
}

/** Template fills first; then knex `?`, `:name` and `{{name}}` placeholders in the text as holes too. */
export function search(pieces: Piece[], dialect: Dialect, firstParam: number): { best: Attempt; first: Attempt } {
  const initial = fillAndRetry(pieces, dialect, firstParam);
  const first = initial.first;
  let best = initial.best;
  if (best.failed) {
    const more = placeholderHoles(pieces, dialect);
    if (more) {
      const second = fillAndRetry(more, dialect, firstParam);
      if (second.best.failed < best.failed || second.best.failed === 0) {
        best = second.best;
        best.attempts += first.attempts;
      }
    }
  }
  return { best, first };
}
