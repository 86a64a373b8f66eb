/**
 * Facts read from one file's content that project-wide questions are answered from: the tables its
 * application SQL queries (src/schema/queried.ts), whether it may define Drizzle tables
 * (src/drizzle/project.ts). Each is kept while the file's stamp (size and modification time) stays
 * the same, so an editor session, or a CLI run with `--cache` that hands them over from the last
 * run, does not read and parse every file of the project again to answer the same question.
 */
import { statSync } from 'node:fs';

export interface FileStampOf {
  /** What must stay the same for a fact to hold: size and modification time, or a content hash. */
  key: string;
  size: number;
}

export type Stamper = (file: string) => FileStampOf | undefined;

/** The file's size and modification time; undefined when it is not a readable regular file. */
export const metadataStamp: Stamper = (file) => {
  const st = statSync(file, { throwIfNoEntry: false });
  return st?.isFile() ? { key: `${st.size}:${st.mtimeMs}`, size: st.size } : undefined;
};

interface Entry {
  stamp: string;
  values: Record<string, unknown>;
}

let stamper: Stamper = metadataStamp;
const entries = new Map<string, Entry>();
/** Files asked about since the facts were imported: the others are kept only while they exist. */
const asked = new Set<string>();
/** A fact was computed since the import: the CLI's cache has something new to write. */
let computed = false;

/** `--cache-strategy content`: stamps are content hashes, for checkouts that keep modification times. */
export function setStamper(s: Stamper): void {
  stamper = s;
  stamps?.clear();
}

/** Stamps taken once per file for the rest of a CLI run, which starts afresh each time (never kept in an editor, whose files change under it). */
let stamps: Map<string, FileStampOf | undefined> | undefined;

/** A CLI run asks about each file several times (the queried tables, the Drizzle tables): one `stat` (or hash) each. */
export function keepStamps(): void {
  stamps = new Map();
}

function stampOf(file: string): FileStampOf | undefined {
  if (!stamps) return stamper(file);
  if (stamps.has(file)) return stamps.get(file);
  const s = stamper(file);
  stamps.set(file, s);
  return s;
}

/**
 * The fact `name` of `file`: the kept one while the file's stamp is unchanged (and `valid` accepts
 * it: an imported value may be damaged), else `compute`d now and kept. Undefined when the file is
 * not a readable regular file.
 */
export function fileFact<T>(file: string, name: string, valid: (v: unknown) => v is T, compute: (stamp: FileStampOf) => T): T | undefined {
  const stamp = stampOf(file);
  if (!stamp) return undefined;
  asked.add(file);
  let e = entries.get(file);
  if (e?.stamp !== stamp.key) {
    e = { stamp: stamp.key, values: {} };
    entries.set(file, e);
  }
  const kept = e.values[name];
  if (kept !== undefined && valid(kept)) return kept;
  const value = compute(stamp);
  e.values[name] = value;
  computed = true;
  return value;
}

/** What keptFact answers for a fact that would have to be computed. */
export const NOT_KEPT: unique symbol = Symbol('not kept');

/** The fact `name` of `file` if it is kept (as fileFact would return it), without computing it: NOT_KEPT otherwise. */
export function keptFact<T>(file: string, name: string, valid: (v: unknown) => v is T): T | undefined | typeof NOT_KEPT {
  const stamp = stampOf(file);
  if (!stamp) return undefined;
  const e = entries.get(file);
  const kept = e?.stamp === stamp.key ? e.values[name] : undefined;
  if (kept === undefined || !valid(kept)) return NOT_KEPT;
  asked.add(file);
  return kept;
}

/** The facts as JSON for the CLI's cache, `[stamp, values]` per file, and whether they differ from those imported. */
export function exportFacts(exists: (file: string) => boolean): { facts: Record<string, [string, Record<string, unknown>]>; changed: boolean } {
  const facts: Record<string, [string, Record<string, unknown>]> = {};
  let changed = computed;
  for (const [file, e] of entries) {
    if (asked.has(file) || exists(file)) facts[file] = [e.stamp, e.values];
    else changed = true;
  }
  return { facts, changed };
}

/** Facts from an earlier run (the CLI's cache); a malformed entry is skipped, each value is checked when asked. */
export function importFacts(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
  for (const [file, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'object' || v[1] === null || Array.isArray(v[1])) continue;
    if (!entries.has(file)) entries.set(file, { stamp: v[0], values: v[1] as Record<string, unknown> });
  }
}
