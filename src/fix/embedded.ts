/**
 * Fixes of SQL built from a JS/TS literal, moved to host offsets with the embed layer's own map
 * (`EmbeddedSql.segments`, the runs of SQL that are the host's text character for character).
 * An edit must lie inside one run: one that touches a `${}` hole's placeholder, a cooked escape
 * or text sqlperf added is not the user's text, and the whole fix is dropped.
 */
import type { EmbeddedSql } from '../embed/template.js';
import type { Fix, TextEdit } from '../rule.js';

/** Characters that would end or change a JS string or template if written into one as they are. */
const UNSAFE_IN_LITERAL = /[`'"\\\n\r\u2028\u2029]|\$\{/;

export function fixToHost(fix: Fix, embedded: EmbeddedSql): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const e of fix.edits) {
    if (UNSAFE_IN_LITERAL.test(e.text)) return undefined;
    const seg = embedded.segments.find((s) => e.range.start >= s.sqlStart && e.range.end <= s.sqlEnd && (e.range.start < s.sqlEnd || e.range.start === e.range.end));
    if (!seg || [...embedded.holes.map((h) => h.sql), ...embedded.synthetic].some((r) => e.range.start < r.end && e.range.end > r.start)) return undefined;
    const start = seg.hostStart + (e.range.start - seg.sqlStart);
    edits.push({ range: { start, end: start + (e.range.end - e.range.start) }, text: e.text });
  }
  return { ...fix, edits };
}
