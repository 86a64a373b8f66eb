/**
 * A small glob matcher for config `include`/`ignore` and --ignore-pattern, applied to paths
 * relative to a base folder (POSIX separators): `*`, `?`, `**`, `{a,b}`, `[abc]`. Like
 * fast-glob's patterns (and ESLint's), a pattern is anchored at the base: write `**\/x` to match
 * at any depth. A pattern that matches a folder matches everything in it.
 */
import { errorMessage } from './error-message.js';

export class GlobError extends Error {}

export function globToRegExp(glob: string): RegExp {
  const g = glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  let re = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*' && (i === 0 || g[i - 1] === '/') && (i + 2 === g.length || g[i + 2] === '/')) {
      // `**` as a whole segment: any number of folders
      const last = i + 2 === g.length;
      re += last ? '.*' : '(?:[^/]*(?:/[^/]*)*/)?';
      i += last ? 1 : 2; // past the second `*`, and the slash after it
    } else if (c === '*') {
      if (g[i + 1] === '*') i++; // `**` within a segment is a `*`
      re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const close = g.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        const body = g.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  if (braces > 0) throw new GlobError(`invalid glob "${glob}": a "{" is not closed`);
  try {
    return new RegExp(`^${re}$`);
  } catch (e) {
    // `[z-a]` and the like: say what is wrong with the glob, not with the regular expression made of it
    throw new GlobError(`invalid glob "${glob}": ${errorMessage(e).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`);
  }
}

/** Why a glob cannot be used, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  try {
    globToRegExp(glob);
    return undefined;
  } catch (e) {
    if (e instanceof GlobError) return e.message;
    throw e;
  }
}

export type PathMatcher = (relPath: string) => boolean;

/** True when the path, or a folder that contains it, matches one of the globs. */
export function matcher(globs: readonly string[]): PathMatcher {
  const res = globs.map(globToRegExp);
  if (res.length === 0) return () => false;
  return (rel) => {
    const parts = rel.split('/');
    for (let n = parts.length; n > 0; n--) {
      const p = parts.slice(0, n).join('/');
      if (res.some((r) => r.test(p))) return true;
    }
    return false;
  };
}
