import { describe, expect, it } from 'vitest';
import { startDatabase } from '../src/verify/pglite.js';
import { SERVER_SETTINGS } from '../src/verify/supervisor.js';

describe('the embedded PostgreSQL runs with small shared memory', () => {
  it('applies the start settings and plans over a schema larger than its buffers', async () => {
    // the per-user image is keyed by the WAL segment size, so an image from before has no say here
    const db = await startDatabase();
    try {
      const [settings] = await db.exec("SELECT current_setting('shared_buffers') AS b, current_setting('max_connections') AS c, current_setting('wal_segment_size') AS w");
      expect(settings!.rows[0]).toEqual({ b: SERVER_SETTINGS.sharedBuffers, c: String(SERVER_SETTINGS.maxConnections), w: `${SERVER_SETTINGS.walSegmentMb}MB` });
      // 150 tables with two indexes each touch far more catalog pages than 1 MB (128 buffers) holds
      const ddl = Array.from({ length: 150 }, (_, i) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, a text, b int); CREATE INDEX t${i}_a ON t${i} (a, b);`).join('\n');
      await db.exec(ddl);
      const [plan] = await db.exec('EXPLAIN (FORMAT JSON) SELECT * FROM t149 JOIN t0 ON t0.id = t149.b WHERE t149.a = $$x$$ ORDER BY t149.b');
      expect(JSON.stringify(plan!.rows)).toContain('t149_a');
    } finally {
      await db.close();
    }
  }, 120_000);
});
