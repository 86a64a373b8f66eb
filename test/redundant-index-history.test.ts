import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import type { SqlContext } from '../src/context.js';
import { loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const only = Object.fromEntries([...rules.map((r) => [r.name, 'off']), ['redundant-index', 'warn']]);
const ROLES = 'CREATE TABLE roles (tenant_id text NOT NULL, id text PRIMARY KEY, name text NOT NULL, type text NOT NULL);\nCREATE UNIQUE INDEX roles__name ON roles (tenant_id, name);\n';

/** redundant-index's findings in `text` (as `line:col name`), linted in `context` against the schema of `schemaText`. */
function found(schemaText: string, text: string, context: SqlContext, schemaFile = false): string[] {
  const schema = loadSchema([{ path: 'schema/roles.sql', text: schemaText }], 'postgresql');
  return analyze(text, { dialect: 'postgresql', rules: only as never, schema, context, schemaFile })
    .diagnostics.filter((d) => d.ruleId === 'redundant-index')
    .map((d) => {
      const before = text.slice(0, d.start).split('\n');
      return `${before.length}:${before.at(-1)!.length + 1} ${text.slice(d.start, d.end)}`;
    });
}

describe('redundant-index and covering indexes (INCLUDE)', () => {
  it('an index whose INCLUDE columns the longer index lacks is not redundant', () => {
    const text = ROLES + 'CREATE INDEX roles__tenant_cover ON roles (tenant_id) INCLUDE (type, name);\n';
    expect(found(text, text, 'migration', true)).toEqual([]);
  });
  it('it is redundant when the longer index holds every included column, as a key or included', () => {
    const keys = ROLES + 'CREATE INDEX roles__tenant_cover ON roles (tenant_id) INCLUDE (name);\n';
    expect(found(keys, keys, 'migration', true)).toEqual(['3:14 roles__tenant_cover']);
    const included = ROLES + 'CREATE INDEX roles__wide ON roles (tenant_id, name) INCLUDE (type);\nCREATE INDEX roles__tenant_cover ON roles (tenant_id) INCLUDE (type);\n';
    expect(found(included, included, 'migration', true)).toEqual(['4:14 roles__tenant_cover']);
  });
});

describe('redundant-index in a migration the schema does not read (a TS migration beside a schema folder)', () => {
  const rollback = 'DROP INDEX IF EXISTS roles__by_tenant;\nCREATE INDEX roles__by_tenant ON roles (tenant_id);\n';
  it('an index the final schema does not have (a rollback re-creating it) is not reported', () => {
    expect(found(ROLES, rollback, 'migration')).toEqual([]);
  });
  it('an index the final schema has is reported where the migration creates it', () => {
    expect(found(ROLES + 'CREATE INDEX roles__by_tenant ON roles (tenant_id);\n', rollback, 'migration')).toEqual(['2:14 roles__by_tenant']);
  });
  it('application code that creates an index at start-up is judged with it (the text joins the schema)', () => {
    expect(found(ROLES, 'CREATE INDEX IF NOT EXISTS roles__by_tenant ON roles (tenant_id);\n', 'app')).toEqual(['1:28 roles__by_tenant']);
  });
});

describe('redundant-index and operator classes / collations', () => {
  const FILES = 'CREATE TABLE files (id bigint PRIMARY KEY, folder_id bigint, path text, depth int);\n';
  it('a key with another operator class or collation serves other lookups: not redundant', () => {
    const pattern = FILES + 'CREATE INDEX files_prefix ON files (path text_pattern_ops);\nCREATE UNIQUE INDEX files_c ON files (path COLLATE "C", folder_id, depth);\n';
    expect(found(pattern, pattern, 'migration', true)).toEqual([]);
    const collated = FILES + 'CREATE INDEX files_path ON files (path);\nCREATE INDEX files_c ON files (path COLLATE "C", folder_id);\n';
    expect(found(collated, collated, 'migration', true)).toEqual([]);
  });
  it('the same operator class and collation, or a default one written out, is still redundant, and the message shows them', () => {
    const same = FILES + 'CREATE INDEX files_prefix ON files (path text_pattern_ops);\nCREATE INDEX files_prefix_folder ON files (path text_pattern_ops, folder_id);\n';
    expect(found(same, same, 'migration', true)).toEqual(['2:14 files_prefix']);
    const message = analyze(same, { dialect: 'postgresql', rules: only as never, schema: loadSchema([{ path: 'schema/f.sql', text: same }], 'postgresql'), context: 'migration', schemaFile: true }).diagnostics[0]!.message;
    expect(message).toBe('index files_prefix (path text_pattern_ops) is redundant: files_prefix_folder (path text_pattern_ops, folder_id) starts with the same columns and serves the same lookups');
    const written = FILES + 'CREATE INDEX files_path ON files (path text_ops);\nCREATE INDEX files_path_folder ON files (path COLLATE "default", folder_id);\n';
    expect(found(written, written, 'migration', true)).toEqual(['2:14 files_path']);
  });
});
