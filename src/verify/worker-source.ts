/**
 * The code of the worker thread PGlite runs in, as a CommonJS script given to `new Worker(..., { eval: true })`:
 * the same text runs from `src/` under the test runner and from `dist/`, and needs no file of its own.
 * PGlite blocks the thread it runs in (it ignores `statement_timeout`), so it must not be the main
 * thread: there a looping migration would hang the run and the static findings would never be printed.
 *
 * Messages in: `{ id, type: 'start', extensions: { name: path }, startParams, initDbParams, image?: path | Uint8Array }`,
 * `{ id, type: 'exec', sql }`, `{ id, type: 'dump', shutdown }`. Out: `{ id, results? | data? | error? }`.
 *
 * Saved data directories ("images", see data-dir.ts) are this worker's own format, read and written
 * only here: IMAGE_MAGIC, the index's length (u32 little-endian), the index as JSON (`[path, size]`
 * per entry, size -1 for a folder, parents first), then every file's bytes in index order. Starting
 * from one reads one file and hands PGlite's in-memory file system slices of it without copying
 * (`canOwn`); PGlite's own `loadDataDir` copies the bytes into a Blob, gunzips them through a web
 * stream and untars them file by file, about a second of CPU for the ~25 MB of a cluster.
 */
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { PGlite, MemoryFS } = require(workerData.pglite);
// compiled as soon as the worker is up, while the main thread still reads the schema (see prewarm)
const wasmModule = WebAssembly.compile(readFileSync(join(dirname(workerData.pglite), 'pglite.wasm')));
wasmModule.catch(() => undefined);
const PGDATA = '/pglite/data';
const MAGIC = Buffer.from('sqlperf-pgdata-1\n');
let db;
let files;

function readImage(image) {
  const buf = typeof image === 'string' ? readFileSync(image) : Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  const at = MAGIC.length + 4;
  if (buf.length < at || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a saved PGlite data directory');
  const end = at + buf.readUInt32LE(MAGIC.length);
  const index = JSON.parse(buf.toString('utf8', at, end));
  const valid = Array.isArray(index) && index.every((e) => Array.isArray(e) && typeof e[0] === 'string' && !e[0].split('/').includes('..') && Number.isSafeInteger(e[1]) && e[1] >= -1);
  if (!valid || index.reduce((n, e) => n + Math.max(e[1], 0), end) !== buf.length) throw new Error('the saved PGlite data directory is damaged');
  return { index, bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), at: end };
}

// WAL segments past the one being written are old ones renamed for reuse: PostgreSQL creates
// the next one when it is missing. The image keeps the current segment and the one after it (a
// shutdown checkpoint may cross into it) and drops the rest, a fifth of a cluster's bytes.
function walToKeep(current) {
  let next;
  return (rel) => {
    const m = /^pg_wal\/([0-9A-F]{24})$/.exec(rel);
    if (!m || m[1] <= current) return true;
    next = next || m[1];
    return m[1] === next;
  };
}

async function currentWalFile() {
  const r = await db.query('SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS f');
  return r.rows[0].f;
}

function pack(FS, keep) {
  const index = [];
  const parts = [];
  const walk = (dir, rel) => {
    for (const name of FS.readdir(dir).filter((n) => n !== '.' && n !== '..').sort().filter((n) => keep(rel + n))) {
      const path = dir + '/' + name;
      if (FS.isDir(FS.stat(path).mode)) {
        index.push([rel + name, -1]);
        walk(path, rel + name + '/');
      } else {
        // the in-memory file's own bytes: Buffer.concat below makes the one copy
        const node = FS.lookupPath(path).node;
        const data = node.contents instanceof Uint8Array ? node.contents.subarray(0, node.usedBytes) : FS.readFile(path);
        index.push([rel + name, data.length]);
        parts.push(data);
      }
    }
  };
  walk(PGDATA, '');
  const json = Buffer.from(JSON.stringify(index));
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head);
  head.writeUInt32LE(json.length, MAGIC.length);
  const out = Buffer.concat([head, json, ...parts]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// PGlite's in-memory file system, filled from an image before PostgreSQL starts (it then finds its
// cluster and resumes), and packed into one when it is closed, after PostgreSQL's clean shutdown
class ImageFS extends MemoryFS {
  constructor(image) {
    super();
    this.image = image;
    this.packOnClose = undefined;
    this.packed = undefined;
  }
  async initialSyncFs() {
    if (!this.image) return;
    const FS = this.pg.Module.FS;
    let { index, bytes, at } = this.image;
    this.image = undefined;
    FS.mkdirTree(PGDATA);
    for (const [path, size] of index) {
      if (size < 0) FS.mkdirTree(PGDATA + '/' + path);
      else FS.writeFile(PGDATA + '/' + path, bytes.subarray(at, (at += size)), { canOwn: true });
    }
  }
  async closeFs() {
    if (this.packOnClose) this.packed = pack(this.pg.Module.FS, this.packOnClose);
    return super.closeFs();
  }
}

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

async function dump(shutdown) {
  if (shutdown) {
    files.packOnClose = walToKeep(await currentWalFile());
    await db.close();
    return files.packed;
  }
  // what the schema load wrote reaches the data files: the next start replays almost no WAL
  await db.exec('CHECKPOINT');
  return pack(db.Module.FS, walToKeep(await currentWalFile()));
}

parentPort.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      const extensions = {};
      for (const [name, file] of Object.entries(m.extensions)) extensions[name] = require(file)[name];
      files = new ImageFS(m.image ? readImage(m.image) : undefined);
      const pgliteWasmModule = await wasmModule.catch(() => undefined);
      db = await PGlite.create({ fs: files, extensions, startParams: [...PGlite.defaultStartParams, ...m.startParams], initDbStartParams: m.initDbParams, ...(pgliteWasmModule ? { pgliteWasmModule } : {}) });
      parentPort.postMessage({ id: m.id });
    } else if (m.type === 'exec') {
      const res = await db.exec(m.sql);
      parentPort.postMessage({ id: m.id, results: res.map((r) => ({ rows: r.rows })) });
    } else if (m.type === 'dump') {
      const data = await dump(m.shutdown);
      parentPort.postMessage({ id: m.id, data }, [data.buffer]);
    }
  } catch (e) {
    fail(m.id, e);
  }
});
`;
