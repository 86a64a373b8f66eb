/** Reading `EXPLAIN (FORMAT JSON)` plans: which tables are read how, and through which index. */

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
  [k: string]: unknown;
}

/** How one table of a query is read. */
export interface TableAccess {
  table: string;
  /** An index restricts the rows read (an index condition), or provides the order with no filter left. */
  served: boolean;
  /** The indexes used on this table. */
  indexes: string[];
  /** Conditions applied row by row (what no index served). */
  filters: string[];
  /** Index conditions. */
  conds: string[];
  /**
   * Indexes read with a condition that leaves their leading key unconstrained (PostgreSQL 18's skip
   * scan): usable, and fast only when that key has few distinct values. Not "served".
   */
  skipScans: Array<{ index: string; lead: string }>;
}

/** The leading key of each index by name (`pg_get_indexdef(oid, 1, true)`), to tell an index lookup from a skip scan. */
export type IndexLeads = ReadonlyMap<string, string>;

/** Lower case, no quotes, no casts (`::text`, `::character varying`, `::timestamp with time zone[]`). */
const norm = (s: string) => s.toLowerCase().replace(/"/g, '').replace(/::[a-z_]+(?: (?:varying|precision|with(?:out)? time zone))?(?:\[\])?/g, '');
const bare = (s: string) => s.replace(/[\s()]/g, '');

/**
 * Whether an index condition constrains the index's leading key (`status` in `(status = 'open'::text)`,
 * `lower(email)` in `(lower((email)::text) = $1)`). Unknown leads count as constrained.
 */
export function usesLead(cond: string, lead: string | undefined): boolean {
  if (!lead) return true;
  // an operator class after a column (`name gin_trgm_ops`) is not part of the key
  const key = norm(/^("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s+[A-Za-z_][\w$]*$/.exec(lead.trim())?.[1] ?? lead);
  const c = norm(cond);
  if (/^[a-z_][\w$]*$/.test(key)) return new RegExp(`(?:^|[^\\w$.])(?:[a-z_][\\w$]*\\.)?${key.replace(/\$/g, '\\$')}(?![\\w$])`).test(c);
  return bare(c).includes(bare(key));
}

const INDEX_NODES = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']);

export function rootOf(rows: Array<Record<string, unknown>>): PlanNode | null {
  const cell = rows[0]?.['QUERY PLAN'];
  const doc = typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell;
  const first = Array.isArray(doc) ? (doc[0] as { Plan?: PlanNode } | undefined) : undefined;
  return first?.Plan ?? null;
}

function walk(n: PlanNode, f: (n: PlanNode, parent: PlanNode | null) => void, parent: PlanNode | null = null): void {
  f(n, parent);
  for (const c of n.Plans ?? []) walk(c, f, n);
}

/**
 * Per table (by name), whether an index serves it. With `enable_seqscan = off` a table no index can
 * serve is read by a Seq Scan, or (PostgreSQL 18 counts disabled nodes) by a full index scan with
 * no index condition: both count as not served, unless the full index scan gives an ORDER BY the
 * query asks for and nothing is left to filter.
 */
export function tableAccess(root: PlanNode, hasOrderBy: boolean, leads: IndexLeads = new Map()): Map<string, TableAccess> {
  const out = new Map<string, TableAccess>();
  const get = (t: string) => {
    let a = out.get(t);
    if (!a) out.set(t, (a = { table: t, served: false, indexes: [], filters: [], conds: [], skipScans: [] }));
    return a;
  };
  /** An index condition that is a lookup on the index's leading key; otherwise recorded as a skip scan. */
  const lookup = (a: TableAccess, n: PlanNode) => {
    const cond = n['Index Cond'];
    if (!cond) return false;
    const lead = n['Index Name'] ? leads.get(n['Index Name']) : undefined;
    if (usesLead(cond, lead)) return true;
    if (n['Index Name'] && lead) a.skipScans.push({ index: n['Index Name'], lead });
    return false;
  };
  // Bitmap Index Scan children carry the index; the Bitmap Heap Scan parent carries the table
  walk(root, (n) => {
    const rel = n['Relation Name'];
    if (n['Node Type'] === 'Bitmap Heap Scan' && rel) {
      const a = get(rel);
      const kids: PlanNode[] = [];
      walk(n, (k) => {
        if (k['Node Type'] === 'Bitmap Index Scan') kids.push(k);
      });
      for (const k of kids) {
        if (k['Index Name']) a.indexes.push(k['Index Name']);
        if (k['Index Cond']) a.conds.push(k['Index Cond']);
      }
      if (kids.filter((k) => lookup(a, k)).length) a.served = true;
      if (n.Filter) a.filters.push(n.Filter);
      return;
    }
    if (!rel || !/Scan$/.test(n['Node Type']) || n['Node Type'] === 'Bitmap Index Scan') return;
    const a = get(rel);
    if (n.Filter) a.filters.push(n.Filter);
    if (INDEX_NODES.has(n['Node Type'])) {
      if (n['Index Name']) a.indexes.push(n['Index Name']);
      if (n['Index Cond']) a.conds.push(n['Index Cond']);
      if (lookup(a, n) || (hasOrderBy && !n.Filter && !n['Index Cond'])) a.served = true;
    }
  });
  return out;
}

/** Whether the plan uses `index` in a way that serves the query (an index condition, or the order with nothing left to filter). */
export function servesWith(root: PlanNode, index: string, hasOrderBy: boolean, lead?: string): boolean {
  let ok = false;
  walk(root, (n) => {
    if (n['Index Name'] !== index) return;
    const cond = n['Index Cond'];
    if ((cond && usesLead(cond, lead)) || (hasOrderBy && !n.Filter && !cond)) ok = true;
  });
  return ok;
}

/** How well a plan reads one table: whether an index serves it, conditions left to filter row by row, sorts in the plan. */
export interface Quality {
  served: boolean;
  filters: number;
  sorts: number;
  conds: string[];
}

export function qualityOf(root: PlanNode, table: string, hasOrderBy: boolean, leads?: IndexLeads): Quality {
  const a = tableAccess(root, hasOrderBy, leads).get(table);
  let sorts = 0;
  walk(root, (n) => {
    if (/Sort$/.test(n['Node Type'])) sorts++;
  });
  const filters = (a?.filters ?? []).reduce((k, f) => k + f.split(/\) AND \(/).length, 0);
  return { served: a?.served ?? false, filters, sorts, conds: a?.conds ?? [] };
}

/**
 * Whether plan quality `b` (with a new index) is better than `a` (without) for the table: it serves
 * a table that was not served, leaves fewer conditions to filter or fewer sorts, or the planner
 * chose it over the existing indexes for a condition they do not serve (not a mere duplicate).
 */
export function better(b: Quality, a: Quality): boolean {
  if (!b.served) return false;
  if (!a.served) return true;
  if (b.filters < a.filters || (b.filters === a.filters && b.sorts < a.sorts)) return true;
  return b.filters <= a.filters && b.sorts <= a.sorts && b.conds.some((c) => !a.conds.includes(c));
}
