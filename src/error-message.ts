/**
 * The message of something caught: an Error's (or an Error-like object's, as some WebAssembly
 * parsers throw) `message`, else the thrown value as text. `catch (e)` gives `unknown`; this is
 * the one place that reads it, instead of `(e as Error).message` (undefined for a thrown string).
 */
export function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return String(e);
}

/** The `code` of something caught (Node's `ENOENT`, `EEXIST`...), if it has one. */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
