/**
 * Text that reaches a terminal or a CI log comes from the linted files (SQL literals, identifiers,
 * file names): a control character in it (ESC starts window-title, clear-screen and hyperlink
 * sequences) is printed as a visible escape, never raw. Tab and newline are kept (a caller that
 * needs one line collapses newlines itself); every other C0 control, DEL, the C1 controls and the
 * bidirectional overrides (Trojan Source) become `\xHH` / `\uHHHH`.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For messages: control characters escaped; tab and newline kept. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, visible);
}

/** For text that must stay on one line (file names): newlines and tabs escaped too. */
export function escapeLine(s: string): string {
  return s.replace(CONTROL_OR_NEWLINE, visible);
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls, U+2028/U+2029 and bidi overrides
 * raw; they can only stand inside JSON strings, where `\uHHHH` means the same character.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
