/**
 * ClickHouse SQL is not PostgreSQL: sites that are ClickHouse are skipped (and counted apart)
 * instead of being reported as PostgreSQL parse errors. Two kinds of evidence:
 * - the call or tag names ClickHouse (`clickhouse.query(...)`, `queryClickhouse(...)`, a function
 *   destructured from a `clickhouse` object), see detect.ts;
 * - the text uses syntax only ClickHouse has: `{name: Type}` parameters, `FROM t FINAL`,
 *   `ARRAY JOIN`, `LIMIT n BY`, `SETTINGS k = v`, `PREWHERE`, `ENGINE = MergeTree`, parametric
 *   aggregates `quantile(0.9)(x)`, `count()`, and ClickHouse-only function names.
 */

/** ClickHouse query parameters: `{name: String}`, `{ids:Array(String)}`, `{d: DateTime64(3)}`. */
const PARAM = /(?<![{\w$])\{\s*[A-Za-z_]\w*\s*:\s*(?:Array|Nullable|LowCardinality|Map|Tuple|U?Int\d+|Float\d+|Decimal\d*|String|FixedString|UUID|Date(?:Time)?(?:32|64)?|Bool(?:ean)?|Identifier|IPv[46]|Enum\d*)\b[^{}]*\}/;

const PARAMETRIC = 'parametric aggregate f(p)(x)';
/** What every parametric aggregate contains: a closing bracket, then an opening one. */
const PAIRED_CALL = /\)\s*\(/;

/**
 * Each pattern with its evidence and, for most, what every match contains: a word (lower case),
 * searched in the lower-cased text (a case-insensitive match of ASCII letters is found in it), or
 * for the case-sensitive function patterns a plain pattern without their costly `\b` and `\w+`
 * alternatives. A text without it cannot match, and the pattern is not run: these run on every
 * statement node-sql-parser rejects.
 */
const SYNTAX: ReadonlyArray<[RegExp, string, (string | RegExp)?]> = [
  [/\b(?:from|join)\s+[\w."`]+(?:\s+(?:as\s+)?(?!final\b|where\b|prewhere\b)\w+)?\s+final\b/i, 'FROM ... FINAL', 'final'],
  [/\b(?:left\s+)?array\s+join\b/i, 'ARRAY JOIN', 'array'],
  [/\bprewhere\b/i, 'PREWHERE', 'prewhere'],
  [/\blimit\s+(?:\d+|\{[^}]*\}|\$\d+)\s*(?:,\s*\d+\s*)?\s+by\b/i, 'LIMIT n BY', 'limit'],
  [/\bsettings\s+[a-z_]+\s*=/i, 'SETTINGS', 'settings'],
  [/\bengine\s*=\s*\w*MergeTree\b/i, 'ENGINE = MergeTree', 'mergetree'],
  // ClickHouse DDL that migrations folders are full of
  [/\bon\s+cluster\b/i, 'ON CLUSTER', 'cluster'],
  [/\bmaterialize\s+(?:index|column|projection|ttl|statistics)\b/i, 'MATERIALIZE INDEX/COLUMN', 'materialize'],
  [/\bcodec\s*\(/i, 'CODEC(...)', 'codec'],
  [/\b(?:Array|Nullable|LowCardinality|Map|Tuple)\s*\(\s*(?:String|U?Int\d+|Float\d+|Decimal|DateTime|Date|UUID|Bool|Nullable|LowCardinality|Array|Tuple|Map)\b|\bDateTime64\s*\(/, 'ClickHouse column type'],
  [/^\s*rename\s+table\b/i, 'RENAME TABLE', 'rename'],
  [/\balter\s+table\s+[\w."`]+\s+(?:add|drop)\s+(?:index|projection)\b/i, 'ALTER TABLE ... ADD/DROP INDEX', 'alter'],
  [/\badd\s+column\b[^;]*?\s(?:after|first)\s+[\w`"]+\s*$/i, 'ADD COLUMN ... AFTER', 'column'],
  [/\bformat\s+(?:JSONEachRow|JSONCompact\w*|TabSeparated\w*|CSVWithNames|RowBinary\w*|Native|Parquet)\b/, 'FORMAT', 'format'],
  [/\binterval\s+\d+\s+(?:second|minute|hour|day|week|month|year)s?\b/i, "INTERVAL n UNIT (PostgreSQL writes INTERVAL 'n unit')", 'interval'],
  // parametric aggregates: quantile(0.9)(x), quantilesMerge(0.5, 0.9)(col)
  [/(?<!\binto\s+[\w."]*)\b[a-zA-Z]\w*\([^()]*\)\s*\(\s*[\w.]/i, PARAMETRIC],
  [/\bcount\(\s*\)/i, 'count()', 'count('],
  [
    /\b(?:uniq(?:Exact|Combined|HLL12|Merge|State)?|\w+If|\w+Merge|\w+State|argM(?:ax|in)|groupArray\w*|groupUniqArray|toStartOf\w+|toDateTime(?:64)?|toDate32|toUnixTimestamp\w*|to(?:U?Int|Float)\d+\w*|toDecimal\d+|toString|toJSONString|toTypeName|toIntervalSecond|toYYYYMM\w*|arrayJoin|array(?:Map|Filter|Exists|Sort|Distinct|Reduce|Concat|Slice|Element|StringConcat)|has(?:Any|All|Token)?|mapKeys|mapValues|JSONExtract\w*|simpleJSONExtract\w*|countDistinct|quantiles?\w*|formatDateTime|dateDiff|multiIf|ifNull|empty|notEmpty|lowerUTF8|positionCaseInsensitive\w*|splitByChar|tupleElement|tuple|isNotNull|isNull|now64|fromUnixTimestamp\w*|parseDateTime\w*|cityHash64|sipHash64|intDiv|toLowCardinality|anyLast|anyHeavy|topK\w*)\s*\(/,
    'ClickHouse function',
    // a literal part of each alternative above (`to[A-Z]` for the `toX...` ones, `If` for `\w+If` and multiIf)
    /If|Merge|State|uniq|argM|group[AU]|to[A-Z]|array|has|map[KV]|JSONExtract|countDistinct|quantile|formatDateTime|dateDiff|ifNull|empty|notEmpty|lowerUTF8|positionCaseInsensitive|splitByChar|tuple|is(?:Not)?Null|now64|fromUnixTimestamp|parseDateTime|(?:city|sip)Hash64|intDiv|any(?:Last|Heavy)|topK/,
  ],
  // PostgreSQL folds unquoted names to lower case and its functions are snake_case: a camelCase
  // call (`arrayMin(x)`, `multiSearchAny(...)`, `replaceRegexpAll(...)`) is ClickHouse's naming
  [/(?<![\w."$])[a-z]+[A-Z][A-Za-z0-9]*\s*\(/, 'camelCase function', /[a-z][A-Z]/],
];

/** Lower-case function names above that are also common PostgreSQL functions (or user functions): not evidence alone. */
const SHARED = /^(?:isnull|tuple|empty|ifnull|quantile)$/i;

/** Why this text is ClickHouse SQL, or undefined. Comments and string literals are not looked into. */
export function clickhouseEvidence(text: string, mysqlLike = false): string | undefined {
  const code = stripStringsAndComments(text);
  if (PARAM.test(code)) return '{name: Type} parameters';
  // a parametric aggregate needs `)(`: without one its costly look-behind is not run
  const paired = PAIRED_CALL.test(code);
  const lower = code.toLowerCase();
  for (const [re, what, word] of SYNTAX) {
    if (what === PARAMETRIC && !paired) continue;
    if (typeof word === 'string' ? !lower.includes(word) : word && !word.test(code)) continue;
    const m = re.exec(code);
    if (!m) continue;
    if (mysqlLike && (what.startsWith('INTERVAL') || what.startsWith('ALTER TABLE') || what.startsWith('ADD COLUMN') || what === 'RENAME TABLE')) continue;
    if (what === 'ClickHouse function') {
      const name = /^\w+/.exec(m[0])![0];
      // `\w+If` matches PostgreSQL's own nullif/coalesce-free names: keep only camelCase ClickHouse spellings
      if (SHARED.test(name) || /^(?:nullif|notif)$/i.test(name) || !/[A-Z]/.test(name.slice(1)) && !/^(?:uniq|tuple|empty|now64|multiIf)$/.test(name)) continue;
      return `ClickHouse function ${name}()`;
    }
    if (what === 'camelCase function') {
      // `INSERT INTO bookAuthors (...)`, `CREATE TABLE userRoles (`, `REFERENCES orgUnits(id)`: a table and its column list, not a call
      const camel = camelCall(code);
      if (camel) return `ClickHouse function ${camel}()`;
      continue;
    }
    return what;
  }
  return undefined;
}

const STANDARD_FUNCTIONS = /^(?:nullif|coalesce|greatest|least|concat|length|lower|upper|count|sum|avg|min|max|round|floor|ceil|abs|now|replace|substring|position|trim|ltrim|rtrim|lpad|rpad|left|right|extract|cast|exists)$/i;

/** The first camelCase name followed by `(` that is not a table name before its column list. */
function camelCall(code: string): string | undefined {
  const re = /(?<![\w."$])([a-z]+[A-Z][A-Za-z0-9]*)\s*\(/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (/\b(?:into|table|exists|references|update|join|from|only|index\s+\w+\s+on|on)\s+(?:[\w"]+\.)?$/i.test(code.slice(Math.max(0, m.index - 60), m.index))) continue;
    // standard SQL functions written in mixed case (`nullIf(`, `Coalesce(`) are PostgreSQL's too: names are case-insensitive
    if (STANDARD_FUNCTIONS.test(m[1]!)) continue;
    return m[1];
  }
  return undefined;
}

/** Names of calls/tags/objects that send SQL to ClickHouse. */
export function isClickhouseName(name: string | undefined): boolean {
  return name !== undefined && /clickhouse|(?:^|\.)ch(?:Client|Reader|Writer)?\.|(?:^|\.)queryCH\b/i.test(name);
}

/** Blanks string literals and comments (keeps lengths), so their text is not taken for syntax. */
function stripStringsAndComments(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
}
