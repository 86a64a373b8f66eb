/**
 * What sqlperf reads at most, so that no input can hang it or exhaust its memory. Each limit is
 * set in the config's `limits` object; file size and messages also by flag (README, "Limits").
 */
export interface Limits {
  /** Files larger than this (bytes) are skipped, said on stderr and counted in --stats; 0: no limit. */
  maxFileSize: number;
  /** Messages kept per file; the rest are summed up in one last message. 0: no limit. */
  maxMessagesPerFile: number;
  /** Statements longer than this (characters) are not parsed: a warning names the limit. */
  maxStatementLength: number;
}

/**
 * 1 MB: hand-written SQL and source files are far smaller (the largest file of the corpus is
 * about 200 KB); larger ones are generated dumps or bundles. 1,000 messages: more in one file is
 * no longer read by anyone, and each kept message costs memory until the report is written.
 */
export const LIMIT_DEFAULTS: Limits = { maxFileSize: 1024 * 1024, maxMessagesPerFile: 1000, maxStatementLength: 256 * 1024 };

/** The limits in force: the defaults, with what the config and flags set. */
export function limitsOf(opts: { limits?: Partial<Limits> }): Limits {
  return { ...LIMIT_DEFAULTS, ...opts.limits };
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 * 1024, m: 1024 * 1024, gb: 1024 ** 3, g: 1024 ** 3 };

/** `1048576`, `512KB`, `2 MB`, `1.5mb` -> bytes; undefined when it is none of these. */
export function parseSize(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const n = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A whole number >= 0 (0: no limit), from a number or its digits. */
export function parseCount(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A size for messages: `1 MB`, `256 KB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * The config's `limits` object, checked: returns the problem (naming the key and an example), or
 * the limits it sets.
 */
export function checkLimits(v: unknown): { limits?: Partial<Limits>; problem?: string } {
  const example = '"limits": { "maxFileSize": "2MB", "maxMessagesPerFile": 500, "maxStatementLength": 262144 }';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { problem: `"limits" must be an object, e.g. ${example}` };
  const out: Partial<Limits> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'maxFileSize') {
      const n = parseSize(x);
      if (n === undefined) return { problem: `"limits.maxFileSize" must be a size in bytes or with a unit ("2MB", "512KB"), 0 for none (got ${JSON.stringify(x)})` };
      out.maxFileSize = n;
    } else if (k === 'maxMessagesPerFile' || k === 'maxStatementLength') {
      const n = parseCount(x);
      if (n === undefined || (k === 'maxStatementLength' && n === 0)) return { problem: `"limits.${k}" must be a whole number${k === 'maxStatementLength' ? ' above 0' : ' (0 for none)'} (got ${JSON.stringify(x)})` };
      out[k] = n;
    } else return { problem: `unknown key "limits.${k}"; allowed keys are maxFileSize, maxMessagesPerFile, maxStatementLength` };
  }
  return { limits: out };
}
