/**
 * Golden cases for the lexer (src/parse/lexer.ts): every token's type, value and exact offsets, per
 * dialect where the dialects differ (comments, quotes, dollar quotes, escapes, nesting, parameters).
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, type Dialect } from '../src/dialect.js';
import { codeTokens, isWord, lex, lexEach, type Token } from '../src/parse/lexer.js';

/** A token as `type:value@start-end`, with `!` when unterminated and ` meta` for psql lines and COPY data. */
const show = (t: Token) => `${t.type}:${t.value}@${t.start}-${t.end}${t.unterminated ? '!' : ''}${t.meta ? ' meta' : ''}`;
const toks = (text: string, dialect: Dialect = 'postgresql') => lex(text, dialect).map(show);

/** The dialects grouped by the tokens they make of the text (tokens joined by spaces). */
function byDialect(text: string): Record<string, Dialect[]> {
  const out: Record<string, Dialect[]> = {};
  for (const d of DIALECTS) (out[toks(text, d).join(' ')] ??= []).push(d);
  return out;
}

describe('lexer: what each dialect reads differently', () => {
  it('# starts a comment in MySQL, MariaDB and BigQuery only', () => {
    expect(byDialect('# h\nx')).toEqual({
      'op:#@0-1 ident:h@2-3 ident:x@4-5': ['postgresql', 'sqlite', 'transactsql', 'snowflake'],
      'comment:# h@0-3 ident:x@4-5': ['mysql', 'mariadb', 'bigquery'],
    });
  });

  it('backticks quote a name in MySQL, MariaDB, SQLite and BigQuery; elsewhere ` is an operator', () => {
    expect(byDialect('`a`')).toEqual({
      'op:`@0-1 ident:a@1-2 op:`@2-3': ['postgresql', 'transactsql', 'snowflake'],
      'qident:a@0-3': ['mysql', 'mariadb', 'sqlite', 'bigquery'],
    });
  });

  it('[brackets] quote a name in SQLite and T-SQL; elsewhere they are punctuation', () => {
    expect(byDialect('[a b]')).toEqual({
      'punct:[@0-1 ident:a@1-2 ident:b@3-4 punct:]@4-5': ['postgresql', 'mysql', 'mariadb', 'bigquery', 'snowflake'],
      'qident:a b@0-5': ['sqlite', 'transactsql'],
    });
  });

  it('$$ dollar quotes are strings in PostgreSQL and Snowflake only', () => {
    expect(byDialect('$$a$$')).toEqual({
      'string:a@0-5': ['postgresql', 'snowflake'],
      'op:$@0-1 param:$a@1-3 op:$@3-4 op:$@4-5': ['mysql', 'mariadb', 'sqlite', 'bigquery', 'transactsql'],
    });
  });

  it("a backslash escapes a quote in MySQL, MariaDB, BigQuery and Snowflake strings; elsewhere b' starts a bit string", () => {
    expect(byDialect("'a\\'b'")).toEqual({
      "string:a\\@0-4 string:@4-6!": ['postgresql', 'sqlite', 'transactsql'],
      "string:a'b@0-6": ['mysql', 'mariadb', 'bigquery', 'snowflake'],
    });
  });

  it('block comments nest in PostgreSQL and T-SQL only', () => {
    expect(byDialect('/* a /* b */ c */')).toEqual({
      'comment:/* a /* b */ c */@0-17': ['postgresql', 'transactsql'],
      'comment:/* a /* b */@0-12 ident:c@13-14 op:*/@15-17': ['mysql', 'mariadb', 'sqlite', 'bigquery', 'snowflake'],
    });
  });

  it('"..." is a string in MySQL, MariaDB and BigQuery, a quoted name elsewhere', () => {
    expect(byDialect('"q"')).toEqual({
      'qident:q@0-3': ['postgresql', 'sqlite', 'transactsql', 'snowflake'],
      'string:q@0-3': ['mysql', 'mariadb', 'bigquery'],
    });
  });
});

describe('lexer: words, whitespace and stray characters', () => {
  it('skips space, tab, line breaks, form feed, vertical tab and NUL', () => {
    expect(toks('a \t\n\r\f\v\0b')).toEqual(['ident:a@0-1', 'ident:b@8-9']);
  });

  it('a token carries no unterminated or meta flag unless it has one', () => {
    expect(lex('a', 'postgresql')).toStrictEqual([{ type: 'ident', start: 0, end: 1, value: 'a' }]);
  });

  it('a word starts with a letter, _ or any non-ASCII character, from \\u0080 on', () => {
    expect(toks('a z A Z _ é \u0080')).toEqual(['ident:a@0-1', 'ident:z@2-3', 'ident:A@4-5', 'ident:Z@6-7', 'ident:_@8-9', 'ident:é@10-11', 'ident:\u0080@12-13']);
    // the characters next to those ranges start none: ` { @ [ and DEL (\u007f)
    expect(toks('`{@[\u007f')).toEqual(['op:`@0-1', 'punct:{@1-2', 'op:@@2-3', 'punct:[@3-4', 'op:\u007f@4-5']);
  });

  it('a word goes on with letters, digits, _, $ and non-ASCII characters, and stops at anything else', () => {
    expect(toks('xa xz xA xZ x0 x9 x_ x$ xé x\u0080')).toEqual([
      'ident:xa@0-2', 'ident:xz@3-5', 'ident:xA@6-8', 'ident:xZ@9-11', 'ident:x0@12-14',
      'ident:x9@15-17', 'ident:x_@18-20', 'ident:x$@21-23', 'ident:xé@24-26', 'ident:x\u0080@27-29',
    ]);
    expect(toks('x/ x: x@ x[ x` x{ x\u007f')).toEqual([
      'ident:x@0-1', 'op:/@1-2', 'ident:x@3-4', 'op::@4-5', 'ident:x@6-7', 'op:@@7-8', 'ident:x@9-10', 'punct:[@10-11',
      'ident:x@12-13', 'op:`@13-14', 'ident:x@15-16', 'punct:{@16-17', 'ident:x@18-19', 'op:\u007f@19-20',
    ]);
  });

  it('punctuation is one character each; operator characters run together', () => {
    expect(toks('(),;.[]{}')).toEqual(['punct:(@0-1', 'punct:)@1-2', 'punct:,@2-3', 'punct:;@3-4', 'punct:.@4-5', 'punct:[@5-6', 'punct:]@6-7', 'punct:{@7-8', 'punct:}@8-9']);
    expect(toks('a<>=b !~* c||d')).toEqual(['ident:a@0-1', 'op:<>=@1-4', 'ident:b@4-5', 'op:!~*@6-9', 'ident:c@10-11', 'op:||@11-13', 'ident:d@13-14']);
    expect(toks('+-*/<>=~!@#%^&|`')).toEqual(['op:+-*/<>=~!@#%^&|`@0-16']);
    expect(toks('a<>-1')).toEqual(['ident:a@0-1', 'op:<>-@1-4', 'number:1@4-5']);
  });

  it('an operator stops before a comment that follows it without a space', () => {
    expect(toks('a+-- c\nb')).toEqual(['ident:a@0-1', 'op:+@1-2', 'comment:-- c@2-6', 'ident:b@7-8']);
    expect(toks('a*/* c */b')).toEqual(['ident:a@0-1', 'op:*@1-2', 'comment:/* c */@2-9', 'ident:b@9-10']);
    expect(toks('a-b a - -b a/b')).toEqual(['ident:a@0-1', 'op:-@1-2', 'ident:b@2-3', 'ident:a@4-5', 'op:-@6-7', 'op:-@8-9', 'ident:b@9-10', 'ident:a@11-12', 'op:/@12-13', 'ident:b@13-14']);
  });

  it('a character no token takes is a one-character operator', () => {
    expect(toks('a\\b $ x', 'sqlite')).toEqual(['ident:a@0-1', 'op:\\@1-2', 'ident:b@2-3', 'op:$@4-5', 'ident:x@6-7']);
    expect(toks('a\\1 $ x')).toEqual(['ident:a@0-1', 'op:\\@1-2', 'number:1@2-3', 'op:$@4-5', 'ident:x@6-7']);
  });
});

describe('lexer: comments and psql meta-commands', () => {
  it('a line comment runs to the line break, \\n or \\r', () => {
    expect(toks('a-- c\nb')).toEqual(['ident:a@0-1', 'comment:-- c@1-5', 'ident:b@6-7']);
    expect(toks('a--\rb')).toEqual(['ident:a@0-1', 'comment:--@1-3', 'ident:b@4-5']);
    expect(toks('-- end')).toEqual(['comment:-- end@0-6']);
  });

  it('a block comment ends at */; unclosed, it runs to the end and says so', () => {
    expect(toks('/**/x')).toEqual(['comment:/**/@0-4', 'ident:x@4-5']);
    expect(toks('/* a */ x')).toEqual(['comment:/* a */@0-7', 'ident:x@8-9']);
    expect(toks('/* a')).toEqual(['comment:/* a@0-4!']);
    expect(toks('a/*/b')).toEqual(['ident:a@0-1', 'comment:/*/b@1-5!']);
    expect(toks('/* a /* b */ c')).toEqual(['comment:/* a /* b */ c@0-14!']);
    expect(toks('/* a /* b */ c', 'mysql')).toEqual(['comment:/* a /* b */@0-12', 'ident:c@13-14']);
    // a / or a * alone inside a comment opens or closes nothing
    expect(toks('/* a/b a* */ x')).toEqual(['comment:/* a/b a* */@0-12', 'ident:x@13-14']);
  });

  it('a backslash that starts a line, after spaces or tabs, is a psql meta-command to the line end', () => {
    expect(toks('\\set x 1\nSELECT 1')).toEqual(['comment:\\set x 1@0-8 meta', 'ident:SELECT@9-15', 'number:1@16-17']);
    expect(toks('x\n \t\\echo a\ny')).toEqual(['ident:x@0-1', 'comment:\\echo a@4-11 meta', 'ident:y@12-13']);
    expect(toks('x\r\\echo')).toEqual(['ident:x@0-1', 'comment:\\echo@2-7 meta']);
    // after a query on its line too, in psql and mysql (`\\gset`, `\\G`), before a letter; elsewhere a stray character
    expect(toks('SELECT 1 \\gset\nx')).toEqual(['ident:SELECT@0-6', 'number:1@7-8', 'comment:\\gset@9-14 meta', 'ident:x@15-16']);
    expect(toks('SELECT 1 \\G', 'mysql')).toEqual(['ident:SELECT@0-6', 'number:1@7-8', 'comment:\\G@9-11 meta']);
    expect(toks('SELECT 1 \\G', 'mariadb')).toEqual(['ident:SELECT@0-6', 'number:1@7-8', 'comment:\\G@9-11 meta']);
    expect(toks('SELECT 1 \\x', 'sqlite')).toEqual(['ident:SELECT@0-6', 'number:1@7-8', 'op:\\@9-10', 'ident:x@10-11']);
    expect(toks('SELECT 1 \\x', 'transactsql')).toEqual(['ident:SELECT@0-6', 'number:1@7-8', 'op:\\@9-10', 'ident:x@10-11']);
  });
});

describe('lexer: strings and quoted names', () => {
  it("E'..' resolves backslash escapes in every dialect; N'..', B'..', X'..' are strings with a prefix", () => {
    expect(toks("E'a\\'b' e'a\\'b' N'a\\'")).toEqual(["string:a'b@0-7", "string:a'b@8-15", 'string:a\\@16-21']);
    expect(toks("n'x' B'1' b'0' X'f' x'F'")).toEqual(['string:x@0-4', 'string:1@5-9', 'string:0@10-14', 'string:f@15-19', 'string:F@20-24']);
    expect(toks("N'a\\'b'", 'mysql')).toEqual(["string:a'b@0-7"]);
    // a prefix letter not followed by a quote is a word
    expect(toks("Ex E 'x'")).toEqual(['ident:Ex@0-2', 'ident:E@3-4', 'string:x@5-8']);
  });

  it("a doubled quote is one quote; an unclosed string runs to the end and says so", () => {
    expect(toks("'a''b' '''' ''")).toEqual(["string:a'b@0-6", "string:'@7-11", 'string:@12-14']);
    expect(toks("'")).toEqual(['string:@0-1!']);
    expect(toks("'ab")).toEqual(['string:ab@0-3!']);
    expect(toks("'a''")).toEqual(["string:a'@0-4!"]);
    expect(toks("x 'a' y")).toEqual(['ident:x@0-1', 'string:a@2-5', 'ident:y@6-7']);
  });

  it('a backslash at the very end escapes nothing', () => {
    expect(toks("'a\\", 'mysql')).toEqual(['string:a\\@0-3!']);
    expect(toks("E'\\")).toEqual(['string:\\@0-3!']);
    expect(toks("'\\\\' x", 'mysql')).toEqual(['string:\\@0-4', 'ident:x@5-6']);
  });

  it('quoted names: a doubled quote is one quote; unclosed, the name runs to the end', () => {
    expect(toks('"a""b" x')).toEqual(['qident:a"b@0-6', 'ident:x@7-8']);
    expect(toks('`a``b`', 'mysql')).toEqual(['qident:a`b@0-6']);
    expect(toks('"ab')).toEqual(['qident:ab@0-3!']);
    expect(toks('"')).toEqual(['qident:@0-1!']);
    expect(toks('`', 'mysql')).toEqual(['qident:@0-1!']);
    expect(toks('""')).toEqual(['qident:@0-2']);
    // the last quote of `"a""` is half of a doubled one: the name is still open
    expect(toks('"a""')).toEqual(['qident:a"@0-4!']);
    expect(toks('"a""', 'mysql')).toEqual(['string:a"@0-4!']);
  });

  it('a MySQL or BigQuery "string" resolves escapes and doubled quotes as a \'string\' does; a `name` has no escapes', () => {
    expect(toks('"a\\"b" x', 'mysql')).toEqual(['string:a"b@0-6', 'ident:x@7-8']);
    expect(toks('"a""b" "it\'s"', 'bigquery')).toEqual(['string:a"b@0-6', "string:it's@7-13"]);
    expect(toks('"ab', 'mariadb')).toEqual(['string:ab@0-3!']);
    expect(toks('"', 'mysql')).toEqual(['string:@0-1!']);
    expect(toks('"a\\', 'mysql')).toEqual(['string:a\\@0-3!']);
    expect(toks('`a\\`b`', 'mysql')).toEqual(['qident:a\\@0-4', 'ident:b@4-5', 'qident:@5-6!']);
    expect(toks('"a\\"b"', 'sqlite')).toEqual(['qident:a\\@0-4', 'ident:b@4-5', 'qident:@5-6!']);
  });

  it('[names] end at the first ]; unclosed, they run to the end and say so', () => {
    expect(toks('[a]] x', 'sqlite')).toEqual(['qident:a@0-3', 'punct:]@3-4', 'ident:x@5-6']);
    expect(toks('[', 'transactsql')).toEqual(['qident:@0-1!']);
    expect(toks('[ab', 'transactsql')).toEqual(['qident:ab@0-3!']);
    expect(toks('[] x', 'sqlite')).toEqual(['qident:@0-2', 'ident:x@3-4']);
    expect(toks('[a[[b]', 'sqlite')).toEqual(['qident:a[[b@0-6']);
  });
});

describe('lexer: numbers', () => {
  it('integers, decimals, a leading dot, underscores, hex and exponents', () => {
    expect(toks('1 .5 1.5 1_000 0x1F 0X1f_a 0x 1e5 1E+5 1e-5 1.e5')).toEqual([
      'number:1@0-1', 'number:.5@2-4', 'number:1.5@5-8', 'number:1_000@9-14', 'number:0x1F@15-19',
      'number:0X1f_a@20-26', 'number:0x@27-29', 'number:1e5@30-33', 'number:1E+5@34-38', 'number:1e-5@39-43', 'number:1.e5@44-48',
    ]);
  });

  it('stops where the number does: a range .., an e without digits, a letter', () => {
    expect(toks('1..2')).toEqual(['number:1@0-1', 'punct:.@1-2', 'number:.2@2-4']);
    expect(toks('1e x')).toEqual(['number:1@0-1', 'ident:e@1-2', 'ident:x@3-4']);
    expect(toks('1e+ 1e-x 9x 0xg')).toEqual(['number:1@0-1', 'ident:e@1-2', 'op:+@2-3', 'number:1@4-5', 'ident:e@5-6', 'op:-@6-7', 'ident:x@7-8', 'number:9@9-10', 'ident:x@10-11', 'number:0x@12-14', 'ident:g@14-15']);
    expect(toks('1.5.6 . x.y')).toEqual(['number:1.5@0-3', 'number:.6@3-5', 'punct:.@6-7', 'ident:x@8-9', 'punct:.@9-10', 'ident:y@10-11']);
    expect(toks('1.')).toEqual(['number:1.@0-2']);
    expect(toks('.')).toEqual(['punct:.@0-1']);
    // only 0x starts a hex number; an e must be followed by a digit, or a sign and a digit
    expect(toks('0 1 0.5')).toEqual(['number:0@0-1', 'number:1@2-3', 'number:0.5@4-7']);
    expect(toks('1ea5')).toEqual(['number:1@0-1', 'ident:ea5@1-4']);
    // at the very end of the text ("undefined" has hex letters, so the bound is what stops the scan)
    expect(toks('0x1F')).toEqual(['number:0x1F@0-4']);
  });
});

describe('lexer: parameters', () => {
  it('$1 and $name; a $ that starts neither is a stray character', () => {
    expect(toks('$1 $12a $1.5 $name')).toEqual(['param:$1@0-2', 'param:$12@3-6', 'ident:a@6-7', 'param:$1@8-10', 'number:.5@10-12', 'param:$name@13-18']);
    expect(toks('$ a $')).toEqual(['op:$@0-1', 'ident:a@2-3', 'op:$@4-5']);
    expect(toks('$a b$')).toEqual(['param:$a@0-2', 'ident:b$@3-5']);
    expect(toks('$9t$')).toEqual(['param:$9@0-2', 'ident:t$@2-4']);
  });

  it('$name in a dialect without dollar quotes runs to the next $', () => {
    expect(toks('$a$b $_x1', 'sqlite')).toEqual(['param:$a@0-2', 'param:$b@2-4', 'param:$_x1@5-9']);
  });

  it('$tag$ ... $tag$ is one string in PostgreSQL; unclosed, it runs to the end', () => {
    // the tag starts at the $: a later $$ on the line opens nothing here
    expect(toks('$ $$a$$')).toEqual(['op:$@0-1', 'string:a@2-7']);
    expect(toks('$t$x$t$ y')).toEqual(['string:x@0-7', 'ident:y@8-9']);
    expect(toks('$$ $$')).toEqual(['string: @0-5']);
    expect(toks('$$a$ $$')).toEqual(['string:a$ @0-7']);
    expect(toks('$_t$x$_t$ $a1$x$a1$ $é$x$é$')).toEqual(['string:x@0-9', 'string:x@10-19', 'string:x@20-27']);
    expect(toks('$t$x')).toEqual(['string:x@0-4!']);
    expect(toks('$t$x', 'snowflake')).toEqual(['string:x@0-4!']);
    expect(toks('$t$x$u$', 'postgresql')).toEqual(['string:x$u$@0-7!']);
  });

  it(':name, not after another : (a cast), not inside an array subscript, not at the end', () => {
    expect(toks(':name :1 a::t x:')).toEqual(['param::name@0-5', 'op::@6-7', 'number:1@7-8', 'ident:a@9-10', 'op:::@10-12', 'ident:t@12-13', 'ident:x@14-15', 'op::@15-16']);
    expect(toks(':a', 'sqlite')).toEqual(['param::a@0-2']);
    // a :name stops where a word does (@ is no part of it)
    expect(toks(':a@b')).toEqual(['param::a@0-2', 'op:@@2-3', 'ident:b@3-4']);
  });

  it("psql's :'var' and :\"var\" in PostgreSQL: closed, not empty, without spaces", () => {
    expect(toks(':\'v\' :"v" :\'ab\'')).toEqual(["param::'v'@0-4", 'param::"v"@5-9', "param::'ab'@10-15"]);
    expect(toks(":'' :'a b' :'a")).toEqual(['op::@0-1', 'string:@1-3', 'op::@4-5', 'string:a b@5-10', 'op::@11-12', 'string:a@12-14!']);
    expect(toks("x :''")).toEqual(['ident:x@0-1', 'op::@2-3', 'string:@3-5']);
    expect(toks(':"a\tb"')).toEqual(['op::@0-1', 'qident:a\tb@1-6']);
    expect(toks(":'a''")).toEqual(['op::@0-1', "string:a'@1-5!"]);
    expect(toks(':"a""')).toEqual(['op::@0-1', 'qident:a"@1-5!']);
    expect(toks(":'v'", 'mysql')).toEqual(['op::@0-1', 'string:v@1-4']);
  });

  it('a [ after a value opens a subscript, whose :n is a slice bound; after anything else an array', () => {
    // a subscript of a word, a quoted name, a parameter, a call, another subscript: `:` then the word n
    expect(toks('a[1:n]').slice(-3)).toEqual(['op::@3-4', 'ident:n@4-5', 'punct:]@5-6']);
    expect(toks('"a"[1:n]').slice(-3)).toEqual(['op::@5-6', 'ident:n@6-7', 'punct:]@7-8']);
    expect(toks('$1[1:n]').slice(-3)).toEqual(['op::@4-5', 'ident:n@5-6', 'punct:]@6-7']);
    expect(toks('f(x)[1:n]').slice(-3)).toEqual(['op::@6-7', 'ident:n@7-8', 'punct:]@8-9']);
    expect(toks('a[1][1:n]').slice(-3)).toEqual(['op::@6-7', 'ident:n@7-8', 'punct:]@8-9']);
    expect(toks('[:n]')).toEqual(['punct:[@0-1', 'param::n@1-3', 'punct:]@3-4']);
    expect(toks('ARRAY[:n] array[:n]')).toEqual(['ident:ARRAY@0-5', 'punct:[@5-6', 'param::n@6-8', 'punct:]@8-9', 'ident:array@10-15', 'punct:[@15-16', 'param::n@16-18', 'punct:]@18-19']);
    expect(toks('+[:n] ([:n] ,[:n]')).toEqual(['op:+@0-1', 'punct:[@1-2', 'param::n@2-4', 'punct:]@4-5', 'punct:(@6-7', 'punct:[@7-8', 'param::n@8-10', 'punct:]@10-11', 'punct:,@12-13', 'punct:[@13-14', 'param::n@14-16', 'punct:]@16-17']);
    // the subscript closed, :x is a parameter again
    expect(toks('a[1], :x')).toEqual(['ident:a@0-1', 'punct:[@1-2', 'number:1@2-3', 'punct:]@3-4', 'punct:,@4-5', 'param::x@6-8']);
    expect(toks('a[1] = :x').slice(-1)).toEqual(['param::x@7-9']);
    // brackets of a call inside the subscript leave it open
    expect(toks('a[f(1):n]').slice(-3)).toEqual(['op::@6-7', 'ident:n@7-8', 'punct:]@8-9']);
  });

  it('? and knex ??; ?| and ?& are operators; ?1 is numbered except in PostgreSQL', () => {
    expect(toks('? ?| ?& ?? ?1 ?x')).toEqual(['param:?@0-1', 'op:?|@2-4', 'op:?&@5-7', 'param:??@8-10', 'param:?@11-12', 'number:1@12-13', 'param:?@14-15', 'ident:x@15-16']);
    expect(toks('?1 ?12 ??1 ?', 'sqlite')).toEqual(['param:?1@0-2', 'param:?12@3-6', 'param:??@7-9', 'number:1@9-10', 'param:?@11-12']);
  });

  it('@name outside PostgreSQL, with @ inside; a lone @ or @@ is an operator', () => {
    expect(toks('@a @a@b @_ @@s @', 'mysql')).toEqual(['param:@a@0-2', 'param:@a@b@3-7', 'param:@_@8-10', 'op:@@@11-13', 'ident:s@13-14', 'op:@@15-16']);
    expect(toks('@a b@c', 'postgresql')).toEqual(['op:@@0-1', 'ident:a@1-2', 'ident:b@3-4', 'op:@@4-5', 'ident:c@5-6']);
    expect(toks('a@b', 'mysql')).toEqual(['ident:a@0-1', 'param:@b@1-3']);
  });
});

describe('lexer: COPY ... FROM stdin data blocks (PostgreSQL)', () => {
  it('the lines after the semicolon, up to a line \\. (trailing blanks allowed), are one meta comment', () => {
    expect(toks('COPY t FROM stdin;\n1\t2\n\\.  \nSELECT 1')).toEqual([
      'ident:COPY@0-4', 'ident:t@5-6', 'ident:FROM@7-11', 'ident:stdin@12-17', 'punct:;@17-18', 'comment:1\t2\n\\.  @19-27 meta', 'ident:SELECT@28-34', 'number:1@35-36',
    ]);
    expect(toks('copy t (a) from STDIN with (format csv);\na\n\\.\n').slice(-2)).toEqual(['punct:;@39-40', 'comment:a\n\\.@41-45 meta']);
    expect(toks('COPY t FROM stdin;\r\nx\r\n\\.\r\ny').slice(-2)).toEqual(['comment:x\r\n\\.@20-25 meta', 'ident:y@27-28']);
  });

  it('without a line \\. the data runs to the end; with nothing after the semicolon there is none', () => {
    expect(toks('COPY t FROM stdin;\n1\n\\.x\n2').slice(-1)).toEqual(['comment:1\n\\.x\n2@19-26 meta']);
    // the end mark is a line of its own: \. after data on a line ends nothing
    expect(toks('COPY t FROM stdin;\n1\\.\n2\n\\.\nx').slice(-2)).toEqual(['comment:1\\.\n2\n\\.@19-27 meta', 'ident:x@28-29']);
    expect(toks('COPY t FROM stdin;').slice(-1)).toEqual(['punct:;@17-18']);
    expect(toks('COPY t FROM stdin;\n').slice(-1)).toEqual(['punct:;@17-18']);
  });

  it('only COPY ... FROM stdin has data: not FROM a file, TO stdout, a SELECT, or another dialect', () => {
    expect(toks("COPY t FROM 'f';\nx").slice(-1)).toEqual(['ident:x@17-18']);
    expect(toks('COPY t TO stdout;\nx').slice(-1)).toEqual(['ident:x@18-19']);
    expect(toks('SELECT 1 FROM stdin;\nx').slice(-1)).toEqual(['ident:x@21-22']);
    expect(toks('SELECT copy FROM stdin;\nx').slice(-1)).toEqual(['ident:x@24-25']);
    expect(toks('COPY t FROM "stdin";\nx').slice(-1)).toEqual(['ident:x@21-22']);
    expect(toks('COPY t FROM stdin;\nx', 'mysql').slice(-1)).toEqual(['ident:x@19-20']);
    expect(toks('COPY "copy" FROM stdin;\nx').slice(-1)).toEqual(['comment:x@24-25 meta']);
  });

  it('comments anywhere in the statement change nothing', () => {
    expect(toks('COPY t FROM -- c\nstdin;\nx').slice(-3)).toEqual(['ident:stdin@17-22', 'punct:;@22-23', 'comment:x@24-25 meta']);
    expect(toks('/* a */ COPY /* b */ t FROM /* c */ stdin /* d */;\nx').slice(-2)).toEqual(['punct:;@49-50', 'comment:x@51-52 meta']);
    expect(toks('COPY t /* FROM */ TO stdout;\nx').slice(-1)).toEqual(['ident:x@29-30']);
  });

  it('each statement starts over: after a semicolon, a data block or a psql meta-command', () => {
    expect(toks('COPY t FROM stdin;\nx\n\\.\nCOPY u FROM stdin;\ny').slice(-3)).toEqual(['ident:stdin@36-41', 'punct:;@41-42', 'comment:y@43-44 meta']);
    expect(toks('SELECT 1\n\\echo\nCOPY t FROM stdin;\nx').slice(-1)).toEqual(['comment:x@34-35 meta']);
    expect(toks('SELECT 1; COPY t FROM stdin;\nx').slice(-1)).toEqual(['comment:x@29-30 meta']);
  });
});

describe('lexer: the helpers', () => {
  it('lexEach hands over the same tokens as lex, in order', () => {
    const seen: string[] = [];
    lexEach("SELECT 'a' -- c\n", 'postgresql', (t) => seen.push(show(t)));
    expect(seen).toEqual(['ident:SELECT@0-6', 'string:a@7-10', 'comment:-- c@11-15']);
  });

  it('codeTokens drops comments only', () => {
    expect(codeTokens(lex('a /* b */ "c" -- d', 'postgresql')).map(show)).toEqual(['ident:a@0-1', 'qident:c@10-13']);
  });

  it('isWord matches a bare word case-insensitively, not a quoted name, a prefix or no token', () => {
    const [select, quoted, sel] = lex('select "SELECT" SEL', 'postgresql');
    expect([isWord(select, 'SELECT'), isWord(quoted, 'SELECT'), isWord(sel, 'SELECT'), isWord(undefined, 'SELECT')]).toEqual([true, false, false, false]);
    // the length is compared first: ß upper-cases to SS
    const [strasse] = lex('straße', 'postgresql');
    expect(isWord(strasse, 'STRASSE')).toBe(false);
    // past ASCII, as toUpperCase compares: the long s is an S; a mismatch before it stays one
    const [longS, mixed, other] = lex('ſelect SeLeCt xelecſ', 'postgresql');
    expect([isWord(longS, 'SELECT'), isWord(mixed, 'SELECT'), isWord(other, 'SELECS'), isWord(mixed, 'SELECTS')]).toEqual([true, true, false, false]);
  });
});
