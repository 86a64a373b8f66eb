import { describe, expect, it } from 'vitest';
import { startDatabase } from '../src/verify/pglite.js';

// The worker writes a shipped extension's files into PGlite's install tree instead of having
// PGlite compile its library at the start (worker-source.ts): PostgreSQL loads the library when
// CREATE EXTENSION or a first call needs it. Both kinds of use must work as before.
describe('shipped extensions handed to the worker', () => {
  it('are created and used after the start, their libraries loaded on first use', async () => {
    const db = await startDatabase(['pg_trgm', 'citext', 'uuid-ossp']);
    try {
      await db.exec('CREATE EXTENSION pg_trgm; CREATE EXTENSION citext; CREATE EXTENSION "uuid-ossp"');
      const [r] = await db.exec("SELECT similarity('word', 'words') > 0.5 AS trgm, 'ABC'::citext = 'abc'::citext AS ci, length(uuid_generate_v4()::text) AS uuid");
      expect(r!.rows[0]).toEqual({ trgm: true, ci: true, uuid: 36 });
      await db.exec('CREATE TABLE p (id int PRIMARY KEY, name text); CREATE INDEX p_name_trgm ON p USING gin (name gin_trgm_ops); SET enable_seqscan = off');
      const [plan] = await db.exec("EXPLAIN (FORMAT JSON) SELECT id FROM p WHERE name LIKE '%ab%'");
      expect(JSON.stringify(plan!.rows)).toContain('p_name_trgm');
    } finally {
      await db.close();
    }
  }, 120_000);

  it('an extension not handed over is not there', async () => {
    const db = await startDatabase([]);
    try {
      await expect(db.exec('CREATE EXTENSION citext')).rejects.toThrow(/citext/);
    } finally {
      await db.close();
    }
  }, 120_000);
});
