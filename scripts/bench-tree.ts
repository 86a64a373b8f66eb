// Generated project trees for the benchmark and the CLI speed tests: .sql files, and JS/TS files
// where a chosen share hold embedded queries. Deterministic (seeded), written to a folder you give.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small seeded PRNG (mulberry32), so every run generates the same tree. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TABLES = ['users', 'orders', 'order_items', 'invoices', 'projects', 'memberships', 'events', 'sessions', 'api_keys', 'comments'];
const COLUMNS = ['id', 'user_id', 'project_id', 'status', 'created_at', 'updated_at', 'email', 'name', 'amount', 'kind'];

/** PostgreSQL statements as applications write them; `$n` parameters; some trip rules, most do not. */
function statement(r: () => number, holes: (n: number) => string = (n) => `$${n}`): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const t = pick(TABLES);
  const u = pick(TABLES.filter((x) => x !== t));
  const c = pick(COLUMNS);
  const d = pick(COLUMNS.filter((x) => x !== c));
  switch (Math.floor(r() * 14)) {
    case 0:
      return `SELECT * FROM ${t} WHERE ${c} = ${holes(1)}`;
    case 1:
      return `SELECT id, ${c}, ${d} FROM ${t} WHERE ${c} = ${holes(1)} AND ${d} > ${holes(2)} ORDER BY created_at DESC LIMIT 50`;
    case 2:
      return `SELECT t.id, t.${c}, u.${d}\n  FROM ${t} t\n  JOIN ${u} u ON u.id = t.user_id\n WHERE t.${c} = ${holes(1)}\n ORDER BY t.created_at DESC\n LIMIT 20 OFFSET ${holes(2)}`;
    case 3:
      return `SELECT id, email FROM ${t} WHERE email LIKE '%' || ${holes(1)}`;
    case 4:
      return `INSERT INTO ${t} (${c}, ${d}, created_at) VALUES (${holes(1)}, ${holes(2)}, now()) RETURNING id`;
    case 5:
      return `UPDATE ${t} SET ${c} = ${holes(1)}, updated_at = now() WHERE id = ${holes(2)}`;
    case 6:
      return `DELETE FROM ${t} WHERE ${c} < ${holes(1)}`;
    case 7:
      return `SELECT count(*) FROM ${t} WHERE ${c} = ${holes(1)} AND lower(${d}) = ${holes(2)}`;
    case 8:
      return `SELECT ${c}, count(*) AS n FROM ${t} GROUP BY ${c} HAVING count(*) > ${holes(1)}`;
    case 9:
      return `WITH recent AS (\n  SELECT id, ${c} FROM ${t} WHERE created_at > now() - interval '7 days'\n)\nSELECT r.id, r.${c} FROM recent r WHERE r.id IN (SELECT ${c} FROM ${u} WHERE ${d} = ${holes(1)})`;
    case 10:
      return `SELECT id FROM ${t} WHERE ${c} = ${holes(1)} OR ${d} = ${holes(2)}`;
    case 11:
      return `SELECT id, ${c} FROM ${t} WHERE ${c} = ANY(${holes(1)}::uuid[]) FOR UPDATE SKIP LOCKED`;
    case 12:
      return `SELECT DISTINCT t.${c} FROM ${t} t JOIN ${u} u ON u.${d} = t.id WHERE u.id = ${holes(1)}`;
    default:
      return `SELECT id, ${c} FROM ${t} ORDER BY random() LIMIT 1`;
  }
}

export interface SqlTreeOptions {
  files: number;
  statementsPerFile: number;
  seed?: number;
  /** Files per folder. */
  perFolder?: number;
}

/** `.sql` files of PostgreSQL statements; returns the number of statements written. */
export function generateSqlTree(dir: string, o: SqlTreeOptions): number {
  const r = rng(o.seed ?? 1);
  const perFolder = o.perFolder ?? 100;
  let n = 0;
  for (let f = 0; f < o.files; f++) {
    const folder = join(dir, `db${String(Math.floor(f / perFolder)).padStart(3, '0')}`);
    if (f % perFolder === 0) mkdirSync(folder, { recursive: true });
    const stmts: string[] = [];
    for (let s = 0; s < o.statementsPerFile; s++) {
      stmts.push(`-- query ${s + 1}\n${statement(r)};`);
      n++;
    }
    writeFileSync(join(folder, `q${String(f).padStart(5, '0')}.sql`), stmts.join('\n\n') + '\n');
  }
  return n;
}

export interface HostTreeOptions {
  files: number;
  /** Share of files that hold SQL (0.1 = one file in ten). */
  sqlShare: number;
  /** Queries in each file that holds SQL. */
  queriesPerFile: number;
  seed?: number;
  perFolder?: number;
}

/** Ordinary TypeScript: types, a class, functions, UI strings that only look like SQL words. */
function plainCode(r: () => number, i: number): string {
  const name = `Thing${i}`;
  const lines = [
    `import { z } from 'zod';`,
    `import type { Context } from '../context';`,
    '',
    `export interface ${name} {`,
    '  id: string;',
    '  name: string;',
    '  createdAt: Date;',
    `  status: 'active' | 'archived';`,
    '}',
    '',
    `export const ${name}Schema = z.object({ id: z.string().uuid(), name: z.string().min(1), status: z.enum(['active', 'archived']) });`,
    '',
    `export const labels = { delete: 'Delete', create: 'Create a project', select: 'Select a plan', update: 'Update settings' } as const;`,
    '',
    `export class ${name}Service {`,
    '  constructor(private readonly ctx: Context) {}',
    '',
  ];
  const methods = 3 + Math.floor(r() * 4);
  for (let m = 0; m < methods; m++) {
    lines.push(
      `  async method${m}(input: Partial<${name}>, limit = ${10 + m}): Promise<${name}[]> {`,
      `    const items = await this.ctx.cache.get(\`${name.toLowerCase()}:\${input.id ?? 'all'}\`);`,
      '    if (!items) return [];',
      `    return (items as ${name}[]).filter((x) => x.status === input.status).slice(0, limit).map((x) => ({ ...x, name: x.name.trim() }));`,
      '  }',
      '',
    );
  }
  lines.push('}', '', `export function format${name}(t: ${name}): string {`, '  return `${t.name} (${t.status}) since ${t.createdAt.toISOString()}`;', '}', '');
  return lines.join('\n');
}

/** Queries the ways applications embed them: a `sql` tag with holes, and `db.query('...', [...])`. */
function queries(r: () => number, count: number): string {
  const out: string[] = ["import { sql } from './db';", "import { pool as db } from './pool';", ''];
  for (let q = 0; q < count; q++) {
    if (r() < 0.6) {
      const text = statement(r, (n) => `\${arg${n}}`);
      const args = [...new Set([...text.matchAll(/\$\{(arg\d)\}/g)].map((m) => m[1]!))];
      out.push(`export async function query${q}(${args.map((a) => `${a}: unknown`).join(', ')}) {`, `  return sql\`\n    ${text.replace(/\n/g, '\n    ')}\n  \`;`, '}', '');
    } else {
      const text = statement(r);
      const n = (text.match(/\$\d/g) ?? []).length;
      out.push(`export async function query${q}(...params: unknown[]) {`, `  const { rows } = await db.query(\`${text}\`, params.slice(0, ${n}));`, '  return rows;', '}', '');
    }
  }
  return out.join('\n');
}

/** JS/TS files; returns how many hold SQL and how many queries they hold. */
export function generateHostTree(dir: string, o: HostTreeOptions): { sqlFiles: number; queries: number } {
  const r = rng(o.seed ?? 2);
  const perFolder = o.perFolder ?? 100;
  const every = o.sqlShare > 0 ? Math.max(1, Math.round(1 / o.sqlShare)) : Infinity;
  let sqlFiles = 0;
  let total = 0;
  for (let f = 0; f < o.files; f++) {
    const folder = join(dir, `src${String(Math.floor(f / perFolder)).padStart(3, '0')}`);
    if (f % perFolder === 0) mkdirSync(folder, { recursive: true });
    let text = plainCode(r, f);
    if (f % every === 0) {
      text = queries(r, o.queriesPerFile) + '\n' + text;
      sqlFiles++;
      total += o.queriesPerFile;
    }
    writeFileSync(join(folder, `module${String(f).padStart(5, '0')}.ts`), text);
  }
  return { sqlFiles, queries: total };
}
