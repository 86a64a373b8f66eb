/**
 * The code of the worker thread PGlite runs in, as a CommonJS script given to `new Worker(..., { eval: true })`:
 * the same text runs from `src/` under the test runner and from `dist/`, and needs no file of its own.
 * PGlite blocks the thread it runs in (it ignores `statement_timeout`), so it must not be the main
 * thread: there a looping migration would hang the run and the static findings would never be printed.
 *
 * Messages in: `{ id, type: 'start', extensions: { name: path }, sharedBuffers, maxConnections, walSegmentMb, dataDir?: Uint8Array }`,
 * `{ id, type: 'exec', sql }`, `{ id, type: 'dump' }`. Out: `{ id, results? | data? | error? }`.
 */
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
let db;
function fail(id, e) {
  const x = e || {};
  parentPort.postMessage({ id, error: {
    message: String(x.message !== undefined ? x.message : x),
    code: typeof x.code === 'string' ? x.code : '',
    position: x.position === undefined || x.position === null ? null : Number(x.position),
    hint: typeof x.hint === 'string' ? x.hint : null,
    detail: typeof x.detail === 'string' ? x.detail : null,
  } });
}
parentPort.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      const extensions = {};
      for (const [name, file] of Object.entries(m.extensions)) extensions[name] = require(file)[name];
      // PostgreSQL zeroes its shared memory at start: 128 MB of buffers and a lock table sized for
      // 100 connections cost about a sixth of a start's CPU, and one session planning EXPLAINs on
      // empty tables needs neither (the planner's costs do not read shared_buffers).
      const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=' + m.sharedBuffers, '-c', 'max_connections=' + m.maxConnections];
      // initdb's 16 MB WAL segment is 40% of a saved data directory, unpacked at every start
      const options = { extensions, startParams, initDbStartParams: ['--wal-segsize=' + m.walSegmentMb] };
      if (m.dataDir) options.loadDataDir = new Blob([m.dataDir], { type: 'application/x-gzip' });
      db = await PGlite.create(options);
      parentPort.postMessage({ id: m.id });
    } else if (m.type === 'exec') {
      const res = await db.exec(m.sql);
      parentPort.postMessage({ id: m.id, results: res.map((r) => ({ rows: r.rows })) });
    } else if (m.type === 'dump') {
      const data = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
      parentPort.postMessage({ id: m.id, data }, [data.buffer]);
    }
  } catch (e) {
    fail(m.id, e);
  }
});
`;
