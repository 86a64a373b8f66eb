import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../../rules/index.js';
import type { KindStats } from './stats.js';
import type { FileKind } from './files.js';
import { writeAtomic } from './output.js';
import { contentHash, readBytesSync } from './source.js';
import type { LintMessage } from './types.js';
import { version } from '../version.js';
import { CONTEXTS } from '../context.js';
import { errorMessage } from '../error-message.js';
import { exportFacts, importFacts, setStamper } from '../file-facts.js';

/**
 * `sqlperf lint --cache`: one JSON file mapping each linted file to the hash of its content and
 * the messages it produced. The whole cache is keyed by sqlperf's version, its rule set and the
 * resolved settings (dialect, rules, tags, callees): change any of them and every file is linted
 * again. Content hashes rather than modification times, so a checkout or a fresh clone that
 * leaves the content alone still hits. A corrupt, foreign or outdated cache file is ignored.
 * Files are named relative to the cache file's folder, so a cache restored into another checkout
 * (a CI cache, a moved project) still serves it; an entry leaves out empty messages and zero counts,
 * since a warm run over a large tree spends much of its time reading this file.
 */
export const CACHE_FORMAT = 'sqlperf-cache/4';
export const DEFAULT_CACHE_FILE = '.sqlperfcache';

/** What one file contributed: its messages and its part of the --stats counts, as written (none, and no zero count, left out). */
export interface CachedFile {
  hash: string;
  /** The file's size and modification time when it was read (`--cache-strategy metadata` trusts them). */
  size?: number;
  mtimeMs?: number;
  kind: FileKind;
  messages?: LintMessage[];
  stats: Partial<FileCounts>;
}

/** One file's part of the --stats counts. */
export type FileCounts = Omit<KindStats, 'files'>;

/**
 * `--cache-strategy`, as ESLint's: `metadata` (the default) takes a file whose size and modification
 * time are those recorded as unchanged, without reading it; a file whose metadata changed is read and
 * hashed, so a fresh clone with the same content still hits. `content` reads and hashes every file,
 * for tools that rewrite files and keep their times.
 */
export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];

export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** A cache file as read: any part may be missing or damaged. */
export type CacheContent = Partial<CacheFile>;

export interface CacheFile {
  format: typeof CACHE_FORMAT;
  key: string;
  files: Record<string, CachedFile>;
  /** File facts (src/file-facts.ts): they depend on sqlperf's version only, not on the settings that key `files`. */
  facts?: { version: string; files: unknown };
  /** The loaded schema (src/cli/schema.ts SavedSchema), checked where it is read. */
  schema?: unknown;
}


/**
 * The settings that change results; the cache is valid only for the same key. Absolute paths in
 * them (the config's folder) count relative to the cache file's folder, as its file names do.
 */
export function cacheKey(settings: object, location: string): string {
  const ruleSet = rules.map((r) => `${r.name}:${r.severity}:${r.recommended ? 1 : 0}:${(r.contexts ?? []).join('+')}`).join(',');
  const base = path.dirname(location);
  const relative = (_: string, v: unknown) => (typeof v === 'string' && path.isAbsolute(v) ? keyOf(base, v) : v);
  return contentHash(JSON.stringify({ format: CACHE_FORMAT, version: version(), node: process.versions.modules, ruleSet, settings }, relative));
}

/** --cache-location: a file, or a folder (existing, or written with a trailing slash) to hold `.sqlperfcache`. */
export function resolveCacheLocation(cwd: string, location: string | undefined): string {
  if (!location) return path.join(cwd, DEFAULT_CACHE_FILE);
  const abs = path.resolve(cwd, location);
  if (/[\\/]$/.test(location)) return path.join(abs, DEFAULT_CACHE_FILE);
  try {
    if (statSync(abs).isDirectory()) return path.join(abs, DEFAULT_CACHE_FILE);
  } catch {
    // not there yet: a file
  }
  return abs;
}

const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const position = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
const STAT_KEYS = ['sites', 'analysed', 'skipped', 'failed', 'clickhouse', 'fragments', 'holes', 'counted', 'countedAnalysed'] as const;
const STAT_KEY_SET: ReadonlySet<string> = new Set(STAT_KEYS);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A message exactly as the formatters need it: a damaged one (null, wrong types, positions below 1) drops the entry. */
function isMessage(v: unknown): v is LintMessage {
  if (!isObject(v)) return false;
  return (
    (v.ruleId === null || (typeof v.ruleId === 'string' && v.ruleId.length > 0)) &&
    (v.severity === 1 || v.severity === 2) &&
    typeof v.message === 'string' &&
    (v.messageId === undefined || typeof v.messageId === 'string') &&
    position(v.line) && position(v.column) && position(v.endLine) && position(v.endColumn) &&
    (v.fatal === undefined || v.fatal === true)
  );
}

const CONTEXT_NAMES: ReadonlySet<string> = new Set(CONTEXTS);

/** `for...in` rather than Object.entries: a warm run over 10,000 files checks 10,000 of these (JSON objects have no inherited keys). */
function isStats(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k in v) {
    const x = v[k];
    if (k === 'byContext') {
      if (!isObject(x)) return false;
      for (const c in x) if (!CONTEXT_NAMES.has(c) || !count(x[c])) return false;
    } else if (STAT_KEY_SET.has(k) && !count(x)) return false; // keys added later are not read here
  }
  return true;
}

/** Every entry is checked on read: the README promises that a damaged cache is ignored, never a crash. */
export function isEntry(v: unknown): v is CachedFile {
  if (!isObject(v)) return false;
  const stamp = (x: unknown) => x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
  return typeof v.hash === 'string' && stamp(v.size) && stamp(v.mtimeMs) && (v.kind === 'sql' || v.kind === 'host') && (v.messages === undefined || (Array.isArray(v.messages) && v.messages.every(isMessage))) && isStats(v.stats);
}

/** Only a regular file is read: a FIFO would block the run, a device is not a cache. */
function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The counts that every outcome has: left out of an entry when zero (the optional ones are kept as they come). */
const BASE_COUNTS = ['sites', 'analysed', 'skipped', 'failed'] as const;

/** An entry as written: no empty message list, no zero base count (most files of a large tree have neither). */
function compactEntry(e: Omit<CachedFile, 'stats'> & { stats: FileCounts }): CachedFile {
  const stats: Partial<FileCounts> = { ...e.stats };
  for (const k of BASE_COUNTS) if (stats[k] === 0) delete stats[k];
  const { messages, ...rest } = e;
  return { ...rest, ...(messages?.length ? { messages } : {}), stats };
}

/** A file as the cache names it: relative to the cache file's folder, with `/` on every platform. */
function keyOf(base: string, file: string): string {
  const rel = path.relative(base, file);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** The absolute path a cache key names; `prefix` is the cache's folder with a trailing separator. */
function fileOf(prefix: string, key: string): string {
  // keys below the cache's folder are joined by hand: path.resolve would normalize each of 10,000 again on a warm run
  if (path.sep === '/' && !key.startsWith('/') && !key.startsWith('..')) return prefix + key;
  return path.resolve(prefix, key);
}

/** Renames a record's keys (a JSON object's own keys only). */
function mapKeys<T>(record: Record<string, T>, rename: (key: string) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k in record) out[rename(k)] = record[k]!;
  return out;
}

const folderOf = (location: string) => {
  const dir = path.dirname(location);
  return dir.endsWith(path.sep) ? dir : dir + path.sep;
};

export class LintCache {
  private readonly files: Map<string, CachedFile>;
  private readonly touched = new Set<string>();
  /** Entries checked with isEntry (or written by this run). */
  private readonly checked = new Set<string>();
  private changed = false;
  /** The saved schema to write with the cache. */
  schema: unknown;

  private constructor(
    readonly location: string,
    private readonly key: string,
    files: Map<string, CachedFile>,
  ) {
    this.files = files;
  }

  /** The cache file as JSON; undefined when unreadable, corrupt or not ours. */
  static read(location: string): CacheContent | undefined {
    try {
      if (!isRegularFile(location)) return undefined;
      const raw = JSON.parse(readFileSync(location, 'utf8')) as CacheContent | null;
      return raw && typeof raw === 'object' && raw.format === CACHE_FORMAT ? raw : undefined;
    } catch {
      return undefined;
    }
  }

  /** Reads the cache; anything unreadable, corrupt, foreign or made with other settings starts empty. */
  static load(location: string, key: string, raw = LintCache.read(location)): LintCache {
    const files = new Map<string, CachedFile>();
    if (raw?.key === key && isObject(raw.files)) {
      const prefix = folderOf(location);
      // each entry is checked when it is used (isEntry in get/lookup): a run over three files of a tree of 10,000 checks three
      for (const name in raw.files) files.set(fileOf(prefix, name), raw.files[name] as CachedFile);
    }
    return new LintCache(location, key, files);
  }

  /**
   * The cached result for a file, if it is unchanged, and the file's stamp, taken before it is read
   * (so a change during the run is seen next time). With `metadata`, a file whose size and time are
   * the recorded ones is not read at all.
   */
  lookup(file: string, strategy: CacheStrategy, maxFileSize: number, readBytes: (file: string, max: number) => Buffer | undefined): { entry?: CachedFile; stamp?: FileStamp } {
    let stamp: FileStamp | undefined;
    try {
      const st = statSync(file);
      if (st.isFile()) stamp = { size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      return {};
    }
    const e = this.entry(file);
    if (!e || !stamp) return { ...(stamp ? { stamp } : {}) };
    if (strategy === 'metadata' && e.size === stamp.size && e.mtimeMs === stamp.mtimeMs) {
      this.touched.add(file);
      return { entry: e, stamp };
    }
    const bytes = readBytes(file, maxFileSize);
    const hit = bytes && this.get(file, contentHash(bytes));
    if (!hit) return { stamp };
    if (hit.size !== stamp.size || hit.mtimeMs !== stamp.mtimeMs) {
      // same content, new times (a checkout): remember them, so the next run need not read it
      this.files.set(file, { ...hit, ...stamp });
      this.changed = true;
    }
    return { entry: hit, stamp };
  }

  /** The cached result for a file whose content hashes to `hash`, if any. */
  get(file: string, hash: string): CachedFile | undefined {
    const e = this.entry(file);
    if (e && e.hash === hash) {
      this.touched.add(file);
      return e;
    }
    return undefined;
  }

  /** A file's entry as read from disk, checked now: a damaged one is dropped, as if it were not there. */
  private entry(file: string): CachedFile | undefined {
    const e = this.files.get(file);
    if (e === undefined || this.checked.has(file)) return e;
    if (!isEntry(e)) {
      this.files.delete(file);
      this.changed = true;
      return undefined;
    }
    this.checked.add(file);
    return e;
  }

  set(file: string, entry: Omit<CachedFile, 'stats'> & { stats: FileCounts }): void {
    this.checked.add(file);
    this.files.set(file, compactEntry(entry));
    this.touched.add(file);
    this.changed = true;
  }

  /** Forgets a file (e.g. it could not be read: next time it is linted again). */
  delete(file: string): void {
    // a file skipped on every run (over the size limit) has no entry: nothing to write again
    if (this.files.delete(file)) this.changed = true;
    this.touched.add(file);
  }

  /**
   * Writes the cache atomically (temp file + rename). Entries of files this run did not lint are
   * kept (a pre-commit run over three files must not empty it) unless the file no longer exists.
   * Returns an error message instead of throwing: a cache that cannot be written is not fatal.
   */
  async save(): Promise<string | undefined> {
    for (const file of [...this.files.keys()]) {
      if (this.touched.has(file)) continue;
      if (!existsSync(file)) {
        this.files.delete(file);
        this.changed = true;
      }
    }
    const facts = exportFacts(existsSync);
    if (!this.changed && !facts.changed) return undefined;
    // another sqlperf may have written the cache since we read it (pre-commit runs batches in
    // parallel): keep what it added for files this run did not lint
    for (const [file, entry] of LintCache.load(this.location, this.key).files) if (!this.files.has(file) && !this.touched.has(file) && existsSync(file)) this.files.set(file, entry);
    // entries never used this run are checked before they are written again: a damaged one is not kept
    const base = path.dirname(this.location);
    const files: Record<string, CachedFile> = {};
    for (const [file, e] of this.files) if (this.checked.has(file) || isEntry(e)) files[keyOf(base, file)] = e;
    const out: CacheFile = { format: CACHE_FORMAT, key: this.key, files, facts: { version: version(), files: mapKeys(facts.facts, (f) => keyOf(base, f)) }, ...(this.schema !== undefined ? { schema: this.schema } : {}) };
    try {
      await writeAtomic(this.location, JSON.stringify(out), { pipes: 'refuse' });
      return undefined;
    } catch (e) {
      return `cannot write the cache ${this.location}: ${errorMessage(e)}`;
    }
  }
}

/**
 * The cache file of a `--cache` run, read before anything that needs its file facts (the schema's
 * queried tables, the Drizzle tables): those of the same sqlperf version are handed to
 * src/file-facts.ts. With `content`, facts are kept by content hash, as results are.
 */
export function openCache(location: string, strategy: CacheStrategy): CacheContent | undefined {
  const raw = LintCache.read(location);
  if (raw?.facts?.version === version() && isObject(raw.facts.files)) {
    const prefix = folderOf(location);
    importFacts(mapKeys(raw.facts.files, (name) => fileOf(prefix, name)));
  }
  if (strategy === 'content') {
    setStamper((file) => {
      const bytes = readBytesSync(file);
      return bytes && { key: contentHash(bytes), size: bytes.length };
    });
  }
  return raw;
}
