import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, fixedText, type RunOptions } from './helpers/rule-findings.js';

// Golden tests for rules/unindexed-foreign-key.ts (issue 19, mutation testing): the migration is its
// own schema (as `sqlperf lint` judges migrations), the key's range and message, which indexes serve
// a key, the keys left out (audit columns, optional references, small tables) and the fix's place.

beforeAll(() => ready());

const RULE = 'unindexed-foreign-key';
const U = 'CREATE TABLE users (id int PRIMARY KEY);\n';
const UK = 'CREATE TABLE users (id int, k int, PRIMARY KEY (id, k));\nCREATE TABLE posts (id int PRIMARY KEY, a int, b int, FOREIGN KEY (a, b) REFERENCES users (id, k));\n';
const POSTS = `${U}CREATE TABLE posts (id int PRIMARY KEY, author_id int REFERENCES users (id))`;
const own = (sql: string, o: RunOptions = {}): RunOptions => ({ ddl: sql, schemaFile: true, ...o });
const run = (sql: string, o: RunOptions = {}) => findings(RULE, sql, own(sql, o));
const msg = (table: string, columns: string, statement: string, refTable = 'users') => `foreign key ${table} (${columns}) has no index starting with it: joins from ${refTable} and every DELETE or key UPDATE on ${refTable} scan ${table}; add: ${statement}`;
const AUTHOR = 'CREATE INDEX idx_posts_author_id ON posts (author_id);';

describe('unindexed-foreign-key: the finding and its fix', () => {
  it('marks the REFERENCES clause or the ALTER TABLE constraint, with the index to add', () => {
    expect(run(POSTS)).toEqual([`2:55-2:76 ${msg('posts', 'author_id', AUTHOR)}`]);
    expect(run(`${U}CREATE TABLE posts (id int PRIMARY KEY, author_id int);\nALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (author_id) REFERENCES users (id);`)).toEqual([`3:23-3:82 ${msg('posts', 'author_id', AUTHOR)}`]);
    expect(run(`${UK}CREATE INDEX p_b ON posts (b);`)).toEqual([`2:55-2:98 ${msg('posts', 'a, b', 'CREATE INDEX idx_posts_a_b ON posts (a, b);')}`]);
    expect(run(`${U}CREATE TABLE "Posts" (id int PRIMARY KEY, "authorId" int REFERENCES users (id))`)).toEqual([`2:58-2:79 ${msg('Posts', 'authorId', 'CREATE INDEX idx_posts_authorid ON "Posts" ("authorId");')}`]);
  });

  it('the fix goes after the statement, after its semicolon when there is one', () => {
    const fix = (output: string) => [{ output, safe: false, description: `Add ${AUTHOR} after this statement (in a new migration if this one has already run)` }];
    expect(fixedText(RULE, POSTS, own(POSTS))).toEqual(fix(`${POSTS};\n${AUTHOR}`));
    expect(fixedText(RULE, `${POSTS};`, own(`${POSTS};`))).toEqual(fix(`${POSTS};\n${AUTHOR}`));
    expect(fixedText(RULE, `${POSTS}  ;  `, own(`${POSTS}  ;  `))).toEqual(fix(`${POSTS}  ;\n${AUTHOR}  `));
    expect(fixedText(RULE, `${POSTS};\nSELECT 1;`, own(`${POSTS};\nSELECT 1;`))).toEqual(fix(`${POSTS};\n${AUTHOR}\nSELECT 1;`));
    // a semicolon later on the line (in a comment) is not the statement's
    expect(fixedText(RULE, `${POSTS} -- done;`, own(`${POSTS} -- done;`))).toEqual(fix(`${POSTS};\n${AUTHOR} -- done;`));
  });

  it('nothing without a schema, for a table the schema lacks, or outside DDL', () => {
    expect(findings(RULE, POSTS, { schemaFile: true })).toEqual([]);
    expect(findings(RULE, 'CREATE TABLE posts (id int PRIMARY KEY, author_id int REFERENCES users (id))', { schemaFile: true, ddl: U })).toEqual([]);
    expect(run(`${U}SELECT 1 FROM users`)).toEqual([]);
  });
});

describe('unindexed-foreign-key: indexes that serve a key', () => {
  it('a B-tree or hash index, or the primary key, leading with the key\'s first column; all its columns in any order', () => {
    for (const ix of ['CREATE INDEX p_a ON posts (author_id);', 'CREATE INDEX p_a ON posts USING hash (author_id);']) expect(run(`${POSTS};\n${ix}`), ix).toEqual([]);
    expect(run(`${U}CREATE TABLE posts (author_id int PRIMARY KEY REFERENCES users (id))`)).toEqual([]);
    for (const ix of ['CREATE INDEX p_ab ON posts (b, a);', 'CREATE INDEX p_ab ON posts (a);', 'CREATE INDEX p_ab ON posts (a, c, b);']) expect(run(`${UK}${ix}`), ix).toEqual([]);
  });

  it('two keys sharing a first column are two keys', () => {
    const two = 'CREATE TABLE users (id int, k int, PRIMARY KEY (id, k));\nCREATE TABLE posts (id int PRIMARY KEY, a int, b int, c int, FOREIGN KEY (a, b) REFERENCES users (id, k), FOREIGN KEY (a, c) REFERENCES users (id, k))';
    expect(run(two).map((f) => f.slice(0, f.indexOf(' has')))).toEqual(['2:62-2:105 foreign key posts (a, b)', '2:107-2:150 foreign key posts (a, c)']);
  });

  it('not an index whose first columns are not all the key\'s', () => {
    expect(run(`${UK}CREATE INDEX p_b ON posts (b, id);`).length).toBe(1);
  });

  it('not a GIN index, a partial index, one with the column second, an expression index', () => {
    for (const ix of ['CREATE INDEX p_a ON posts USING gin (author_id);', 'CREATE INDEX p_a ON posts (author_id) WHERE author_id > 0;', 'CREATE INDEX p_a ON posts (id, author_id);', 'CREATE INDEX p_a ON posts (lower(author_id::text));']) {
      expect(run(`${POSTS};\n${ix}`).map((f) => f.slice(0, 9)), ix).toEqual(['2:55-2:76']);
    }
  });
});

describe('unindexed-foreign-key: keys left out', () => {
  it('audit columns (snake_case and camelCase), optional references; a key that only looks like one is reported', () => {
    const sql = `${U}CREATE TABLE posts (id int PRIMARY KEY, created_by int REFERENCES users (id), "updatedByUserId" int REFERENCES users (id), invited_by_user_id int REFERENCES users (id), byline int REFERENCES users (id), "standby" int REFERENCES users (id))`;
    expect(run(sql).map((f) => f.slice(0, f.indexOf(' has'))).map((f) => f.replace(/ foreign key posts/, ''))).toEqual(['2:181-2:202 (byline)', '2:218-2:239 (standby)']);
    const audit = (col: string) => run(`${U}CREATE TABLE posts (id int PRIMARY KEY, ${col} int REFERENCES users (id))`).length;
    expect(audit('"createdBy"')).toBe(0);
    expect(audit('paid_by_card_id')).toBe(1);
    expect(audit('"createdByAccountId"')).toBe(1);
    expect(run('CREATE TABLE users (id int, k int, PRIMARY KEY (id, k));\nCREATE TABLE posts (id int PRIMARY KEY, created_by int, k int, FOREIGN KEY (created_by, k) REFERENCES users (id, k))').length).toBe(1);
    const refs = `${U}CREATE TABLE posts (id int PRIMARY KEY, a int REFERENCES users (id) ON DELETE SET NULL, b int REFERENCES users (id) ON DELETE SET DEFAULT, c int REFERENCES users (id) ON DELETE CASCADE)`;
    expect(run(refs).map((f) => f.slice(0, 12))).toEqual(['2:146-2:167 ']);
  });

  it('a table the config says is small; a large one is reported', () => {
    expect(run(POSTS, { tables: { posts: { rows: 5 } } })).toEqual([]);
    expect(run(POSTS, { tables: { posts: { rows: 5_000_000 } } }).length).toBe(1);
  });
});
