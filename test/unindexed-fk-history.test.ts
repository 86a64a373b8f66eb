import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import type { Dialect } from '../src/dialect.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const only = Object.fromEntries([...rules.map((r) => [r.name, 'off']), ['unindexed-foreign-key', 'warn']]);

/** Findings per migration file when the migrations themselves are linted against the final schema. */
function lintMigrations(files: Array<{ path: string; text: string }>, dialect: Dialect) {
  const schema = loadSchema(files, dialect);
  return files.map((f) => ({
    path: f.path,
    found: analyze(f.text, { dialect, rules: only as never, schema, schemaFile: true })
      .diagnostics.filter((d) => d.ruleId === 'unindexed-foreign-key')
      .map((d) => f.text.slice(d.start, d.end)),
  }));
}

describe('unindexed-foreign-key across migrations', () => {
  it('reports each foreign key once, where its table is finally defined', () => {
    const files = [
      { path: 'migrations/001_init.sql', text: 'CREATE TABLE users (id integer PRIMARY KEY);\nCREATE TABLE posts (id integer PRIMARY KEY, author_id integer REFERENCES users (id), editor_id integer REFERENCES users (id));\n' },
      // a SQLite-style rebuild of posts: the keys are defined again
      {
        path: 'migrations/002_rebuild.sql',
        text: 'CREATE TABLE new_posts (id integer PRIMARY KEY, title text, author_id integer REFERENCES users (id), editor_id integer REFERENCES users (id));\nINSERT INTO new_posts (id, author_id, editor_id) SELECT id, author_id, editor_id FROM posts;\nDROP TABLE posts;\nALTER TABLE new_posts RENAME TO posts;\n',
      },
      { path: 'migrations/003_index.sql', text: 'CREATE INDEX posts_editor_idx ON posts (editor_id);\n' },
      // a table dropped later: its keys are not reported at all
      { path: 'migrations/004_tmp.sql', text: 'CREATE TABLE drafts (id integer PRIMARY KEY, author_id integer REFERENCES users (id));\n' },
      { path: 'migrations/005_drop.sql', text: 'DROP TABLE drafts;\n' },
    ];
    const res = lintMigrations(files, 'postgresql');
    expect(res.flatMap((r) => r.found.map((f) => `${r.path}: ${f}`))).toEqual(['migrations/002_rebuild.sql: REFERENCES users (id)']);
    // SQLite: Prisma and drizzle rebuild tables this way
    expect(lintMigrations(files, 'sqlite').flatMap((r) => r.found.map((f) => `${r.path}: ${f}`))).toEqual(['migrations/002_rebuild.sql: REFERENCES users (id)']);
  });

  it('a foreign key added twice is reported at the last definition', () => {
    const files = [
      { path: 'm/1.sql', text: 'CREATE TABLE users (id integer PRIMARY KEY);\nCREATE TABLE posts (id integer PRIMARY KEY, author_id integer);\nALTER TABLE posts ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES users (id);\n' },
      { path: 'm/2.sql', text: 'ALTER TABLE posts DROP CONSTRAINT posts_author_fkey;\nALTER TABLE posts ADD CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE;\n' },
    ];
    const res = lintMigrations(files, 'postgresql');
    expect(res.map((r) => r.found.length)).toEqual([0, 1]);
  });
});
