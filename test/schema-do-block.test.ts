/** DDL inside `DO $$ ... $$` blocks applies to the schema like top-level DDL (src/schema/ddl-do-block.ts). */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready } from '../src/api.js';
import { findTable, loadSchema } from '../src/schema/index.js';

beforeAll(() => ready());

const INIT = 'CREATE TABLE shelves (id bigint PRIMARY KEY, owner_id bigint NOT NULL, label text NOT NULL);\n';
const load = (migration: string) => loadSchema([{ path: '001.sql', text: INIT }, { path: '002.sql', text: migration }], 'postgresql');
const columns = (migration: string, table: string) => findTable(load(migration), table)?.columns.map((c) => c.name);
const indexes = (migration: string) => findTable(load(migration), 'shelves')!.indexes.map((i) => `${i.name} ${i.keys.map((k) => k.column ?? k.expression).join(',')}${i.where ? ` WHERE ${i.where}` : ''}`);

describe('DDL in DO blocks', () => {
  it('plain statements, statements after THEN / ELSE / LOOP, in any dollar-quote tag', () => {
    const m = `DO $$
BEGIN
  ALTER TABLE shelves ADD COLUMN IF NOT EXISTS archived_at timestamptz;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'live') THEN
    CREATE INDEX live ON shelves (owner_id, label) WHERE archived_at IS NULL;
  ELSE
    CREATE TABLE shelf_tags (shelf_id bigint REFERENCES shelves (id), tag text, PRIMARY KEY (shelf_id, tag));
  END IF;
END
$$;
DO $body$ BEGIN CREATE INDEX by_label ON shelves (label); END $body$ LANGUAGE plpgsql;`;
    expect(columns(m, 'shelves')).toEqual(['id', 'owner_id', 'label', 'archived_at']);
    expect(columns(m, 'shelf_tags')).toEqual(['shelf_id', 'tag']);
    expect(indexes(m)).toEqual(['shelves_pkey id', 'live owner_id,label WHERE archived_at is null', 'by_label label']);
  });

  it('the index points at its name in the file', () => {
    const m = 'DO $$ BEGIN\n  CREATE INDEX by_owner ON shelves (owner_id);\nEND $$;';
    const origin = findTable(load(m), 'shelves')!.indexes.find((i) => i.name === 'by_owner')!.origin!;
    expect([origin.file, m.slice(origin.start, origin.end)]).toEqual(['002.sql', 'by_owner']);
  });

  it("a constant EXECUTE string is read, pointing at the string; a built one, another language or a function body is not", () => {
    const m = "DO $$ BEGIN EXECUTE 'CREATE INDEX by_label ON shelves (label)'; EXECUTE 'CREATE INDEX ' || quote_ident(n) || ' ON shelves (owner_id)'; END $$;";
    expect(indexes(m)).toEqual(['shelves_pkey id', 'by_label label']);
    const origin = findTable(load(m), 'shelves')!.indexes[1]!.origin!;
    expect(m.slice(origin.start, origin.end)).toBe("'CREATE INDEX by_label ON shelves (label)'");
    expect(indexes("DO $$ CREATE INDEX by_label ON shelves (label) $$ LANGUAGE plv8;")).toEqual(['shelves_pkey id']);
    expect(indexes('CREATE FUNCTION f() RETURNS void AS $$ BEGIN CREATE INDEX by_label ON shelves (label); END $$ LANGUAGE plpgsql;')).toEqual(['shelves_pkey id']);
  });
});

describe('schema rules on DDL inside DO blocks', () => {
  it('redundant-index and unindexed-foreign-key report at the statement inside the block', () => {
    const text = `${INIT}DO $$ BEGIN
  CREATE INDEX by_owner ON shelves (owner_id);
  CREATE INDEX by_owner_label ON shelves (owner_id, label);
  CREATE TABLE tags (shelf_id bigint REFERENCES shelves (id), tag text);
END $$;`;
    const schema = loadSchema([{ path: 'm.sql', text }], 'postgresql');
    const rules = { 'redundant-index': 'warn', 'unindexed-foreign-key': 'warn' } as const;
    const d = analyze(text, { dialect: 'postgresql', schema, rules, context: 'migration', schemaFile: true }).diagnostics;
    expect(d.map((x) => `${x.ruleId} ${text.slice(x.start, x.end)}`)).toEqual(['redundant-index by_owner', 'unindexed-foreign-key REFERENCES shelves (id)']);
  });
});
