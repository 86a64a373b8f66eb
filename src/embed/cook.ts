/** JS string and template escapes cooked into SQL text, each SQL character keeping the host range it came from. */

export interface Cooked {
  text: string;
  /** host offset where SQL char i starts, and where it ends */
  starts: number[];
  ends: number[];
}

/** Cooks the JS escapes of a literal's source text; every output char keeps its host range. */
export function cook(code: string, start: number, end: number, template: boolean): Cooked {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, from: number, to: number) => {
    for (let k = 0; k < s.length; k++) {
      starts.push(from);
      ends.push(to);
    }
    text += s;
  };
  let i = start;
  while (i < end) {
    const c = code.charAt(i);
    if (c !== '\\' || i + 1 >= end) {
      emit(c, i, i + 1);
      i++;
      continue;
    }
    const d = code.charAt(i + 1);
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
    const escaped = simple[d];
    if (escaped !== undefined) {
      emit(escaped, i, i + 2);
      i += 2;
    } else if (d === '\r') {
      i += code[i + 2] === '\n' ? 3 : 2; // line continuation
    } else if (d === '\n' || d === '\u2028' || d === '\u2029') {
      i += 2;
    } else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(code.slice(i + 2, i + 4))) {
      emit(String.fromCharCode(parseInt(code.slice(i + 2, i + 4), 16)), i, i + 4);
      i += 4;
    } else if (d === 'u' && code[i + 2] === '{') {
      const close = code.indexOf('}', i + 3);
      const cp = close > 0 && close < end ? parseInt(code.slice(i + 3, close), 16) : NaN;
      if (Number.isFinite(cp) && cp <= 0x10ffff) {
        emit(String.fromCodePoint(cp), i, close + 1);
        i = close + 1;
      } else {
        emit(d, i, i + 2);
        i += 2;
      }
    } else if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(code.slice(i + 2, i + 6))) {
      emit(String.fromCharCode(parseInt(code.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else if (d === '0' && !/[0-9]/.test(code[i + 2] ?? '')) {
      emit('\0', i, i + 2);
      i += 2;
    } else {
      // \\ \' \" \` \$ \{ and any other character stand for themselves
      emit(d, i, i + 2);
      i += 2;
    }
  }
  void template;
  return { text, starts, ends };
}
