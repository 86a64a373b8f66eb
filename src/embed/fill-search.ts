import type { Dialect } from '../dialect.js';
import { DEFAULT_LIMITS, forEachStatement, type ParsedStatement } from '../parse/index.js';
import type { Range } from '../range.js';
import { fillText, type FillKind, type HoleFill } from './hole-shapes.js';
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
  /** Each hole with its fill, in order (`holes` are the fills). */
  filled: Array<{ hole: Hole; fill: HoleFill }>;
  /**
   * The statements of `sql`, parsed as `analyze` parses a text (default limits, trees for queries
   * only), so the analysis of the site reads them instead of parsing the same text again.
   */
  statements?: ParsedStatement[];
}

/** A fill of a hole: its index on the hole's chain, and the kind there. */
interface Fill {
  at: number;
  kind: FillKind;
}

/** The fills the search moved holes to; a hole not in it takes the first of its chain. */
type Choice = ReadonlyMap<Hole, Fill>;

function fillOf(choice: Choice, hole: Hole): Fill {
  return choice.get(hole) ?? { at: 0, kind: hole.chain[0] };
}

/** The fills after a hole's current one, in chain order. */
function laterFills(choice: Choice, hole: Hole): Fill[] {
  const from = fillOf(choice, hole).at;
  return [...hole.chain.entries()].filter(([at]) => at > from).map(([at, kind]) => ({ at, kind }));
}

function build(pieces: Piece[], choice: Choice, dialect: Dialect, firstParam: number): Built {
  let sql = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const filled: Built['filled'] = [];
  const synthetic: Range[] = [];
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
      // a cooked text has one start and one end per character
      sql += p.cooked.text;
      for (const s of p.cooked.starts) starts.push(s);
      for (const e of p.cooked.ends) ends.push(e);
      continue;
    }
    const { kind } = fillOf(choice, p.hole);
    const text = kind === 'name' && p.hole.name ? p.hole.name.text : fillText(kind, firstParam + filled.length, dialect);
    const at = sql.length;
    sql += text;
    for (let k = 0; k < text.length; k++) {
      starts.push(p.hole.host.start);
      ends.push(p.hole.host.end);
    }
    filled.push({ hole: p.hole, fill: { sql: { start: at, end: sql.length }, host: p.hole.host, as: kind, origin: p.hole.origin } });
  }
  return { sql, starts, ends, holes: filled.map((f) => f.fill), synthetic, filled };
}

interface Failure {
  stmt: Range;
  error: Range;
  /** It parsed, but a fill was read as a typed literal: closer to success than any syntax error. */
  typed?: true;
}

/** The statements that fail to parse; the parse is kept on `b` (see `Built.statements`). */
function failures(b: Built, dialect: Dialect): Failure[] {
  const { sql } = b;
  const statements: ParsedStatement[] = [];
  try {
    forEachStatement(sql, dialect, DEFAULT_LIMITS, (s) => statements.push(s), undefined, 'queries');
  } catch {
    return [{ stmt: { start: 0, end: sql.length }, error: { start: 0, end: sql.length } }];
  }
  b.statements = statements;
  return statements.flatMap((s) => (s.parser === 'none' && s.error.kind !== 'limit' ? [{ stmt: s.range, error: s.error.range }] : []));
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
  const f = failures(b, dialect);
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
function suspects(filled: Built['filled'], f: Failure, canAdvance: (hole: Hole) => boolean): Hole[] {
  const scored: Array<[number, Hole]> = [];
  for (const { hole, fill: h } of filled) {
    if (!canAdvance(hole)) continue;
    if (h.sql.end < f.stmt.start - 1 || h.sql.start > f.stmt.end + 1) continue;
    let score: number;
    if (h.sql.start <= f.error.end && h.sql.end >= f.error.start) score = 0;
    else if (h.sql.end <= f.error.start) score = f.error.start - h.sql.end;
    else score = 1e6 + (h.sql.start - f.error.end);
    scored.push([score, hole]);
  }
  return scored.sort((a, b) => a[0] - b[0]).map(([, hole]) => hole);
}

/**
 * Fills every hole with the first shape of its chain, then, while a statement fails, changes the
 * fill of a hole near the error: the first change (among the 3 nearest holes, each down its chain)
 * that moves the error later or removes it is kept; when none does, the nearest hole moves on one
 * step. Bounded by a parse budget.
 */
function fillAndRetry(pieces: Piece[], dialect: Dialect, firstParam: number): { best: Attempt; first: Attempt } {
  const holes = pieces.filter((p): p is { kind: 'hole'; hole: Hole } => p.kind === 'hole').map((p) => p.hole);
  let choice: Choice = new Map();
  let built = build(pieces, choice, dialect, firstParam);
  let fails = failuresOf(built, dialect);
  const first: Attempt = { built, failed: fails.length, attempts: 1 };
  let attempts = 1;
  const budget = Math.min(400, 8 * holes.reduce((s, h) => s + h.chain.length, 1));
  const canAdvance = (hole: Hole) => laterFills(choice, hole).length > 0;
  while (attempts < budget) {
    const [fail] = fails;
    if (!fail) break;
    const order = suspects(built.filled, fail, canAdvance);
    const [nearest] = order;
    if (!nearest) break;
    const now = progress(fails);
    const kept = retryNear(order.slice(0, 3), choice, (trial) => {
      if (attempts >= budget) return 'stop';
      const b = build(pieces, trial, dialect, firstParam);
      const f = failuresOf(b, dialect);
      attempts++;
      if (!better(progress(f), now)) return 'worse';
      built = b;
      fails = f;
      return 'kept';
    });
    if (kept) {
      choice = kept;
      continue;
    }
    // no change helped: the nearest hole moves on one step (it can: suspects are holes that can advance)
    const [step] = laterFills(choice, nearest);
    if (!step) break;
    choice = new Map(choice).set(nearest, step);
    built = build(pieces, choice, dialect, firstParam);
    fails = failuresOf(built, dialect);
    attempts++;
  }
  return { best: { built, failed: fails.length, attempts }, first };
}

/**
 * Tries each later fill of each hole in turn (holes in order, each down its chain); `attempt`
 * builds and judges a trial choice. Returns the first choice it keeps, or undefined.
 */
function retryNear(holes: Hole[], choice: Choice, attempt: (trial: Choice) => 'kept' | 'worse' | 'stop'): Choice | undefined {
  for (const hole of holes) {
    for (const fill of laterFills(choice, hole)) {
      const trial = new Map(choice).set(hole, fill);
      const r = attempt(trial);
      if (r === 'kept') return trial;
      if (r === 'stop') break;
    }
  }
  return undefined;
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
