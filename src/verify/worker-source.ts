/**
 * The code of the worker thread PGlite runs in, as a CommonJS script given to `new Worker(..., { eval: true })`:
 * the same text runs from `src/` under the test runner and from `dist/`, and needs no file of its own.
 * PGlite blocks the thread it runs in (it ignores `statement_timeout`), so it must not be the main
 * thread: there a looping migration would hang the run and the static findings would never be printed.
 *
 * workerData: `{ pglite: the path of its CommonJS entry, codeCache?: the file of V8's code cache for it }`.
 * Messages in: `{ id, type: 'start', extensions: { name: path }, startParams, initDbParams, imageFd?: number }`,
 * `{ id, type: 'exec', sql }`, `{ id, type: 'dump', file, shutdown }`. Out: `{ id, results? | error? }`.
 *
 * Saved data directories ("images", see data-dir.ts) are this worker's own format, read and written
 * only here: MAGIC, the index's length (u32 little-endian), the index as JSON (`[path, size, offset]`
 * per file, offset from the end of the index, `[path, -1]` per folder, parents first), then the
 * files' bytes, identical files stored once (a fresh cluster's three databases are the same bytes).
 * Starting from one reads only the index (from a descriptor the main thread opened and closes
 * when the worker ends): a file's bytes are read when PostgreSQL first touches it, and most it
 * never does. On this machine class every megabyte a process touches for the first time costs
 * about 10 ms, so the ~25 MB a cluster spans are the cost to avoid. Writing an image copies the
 * untouched files from the image started from, in small chunks, without reading them whole.
 */
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { fileURLToPath } = require('node:url');
// compiled as soon as the worker is up, while the main thread still reads the schema (see prewarm),
// and before PGlite's JavaScript is loaded: V8 validates the module on another thread meanwhile
const wasmModule = WebAssembly.compile(readFileSync(join(dirname(workerData.pglite), 'pglite.wasm')));
wasmModule.catch(() => undefined);

// PGlite's JavaScript (half a megabyte in one file) from V8's code cache kept in the per-user cache
// folder (workerData.codeCache, a file; none: compiled as require would): compiling it took a tenth
// of a start, and it is compiled in every run. The cache is written once the first statement has
// run, so it holds the functions a start and a query compile too, not only the top level. V8
// refuses a cache made by another Node, with other flags or for another file (and a damaged one):
// the file is then compiled as usual and the cache rewritten. A stamp line before V8's bytes says
// which PGlite file it was made for, so another install's is not even handed to V8.
let writeCodeCache;
const IMPORT = '__sqlperf_import';

// PGlite's dynamic imports (await import("fs/promises") and the like: Node's modules only) made calls
// of a function given to the wrapper, which requires them. A script compiled by node:vm cannot
// import() at all once it comes from a code cache on Node 20 (the callback is not found); undefined
// when an import() of something else, or one not of this form, is left (then required as usual).
function builtinImports(source) {
  const { builtinModules } = require('node:module');
  const out = source.replace(/\bimport\("([^"]+)"\)/g, (all, name) => (builtinModules.includes(name.replace(/^node:/, '')) ? IMPORT + '("' + name + '")' : all));
  return /\bimport\s*\(/.test(out) ? undefined : out;
}

function loadPglite(file, cacheFile) {
  if (!cacheFile) return require(file);
  const { Script } = require('node:vm');
  const { createRequire } = require('node:module');
  const { mkdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
  let stamp;
  let cachedData;
  let source;
  try {
    const st = statSync(file);
    stamp = JSON.stringify([file, st.size, st.mtimeMs, process.version, process.arch]);
    source = builtinImports(readFileSync(file, 'utf8'));
  } catch {
    return require(file);
  }
  if (source === undefined) return require(file);
  try {
    const raw = readFileSync(cacheFile);
    const eol = raw.indexOf(10);
    if (eol > 0 && raw.toString('utf8', 0, eol) === stamp) cachedData = raw.subarray(eol + 1);
  } catch {
    // none yet
  }
  // Node's own CommonJS wrapper, on the file's first line: line numbers in stack traces stay right
  const script = new Script('(function (exports, require, module, __filename, __dirname, ' + IMPORT + ') {' + source + '\n})', { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData || script.cachedDataRejected) {
    writeCodeCache = () => {
      writeCodeCache = undefined;
      const tmp = cacheFile + '.' + process.pid + '-' + require('node:worker_threads').threadId + '.tmp';
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(tmp, Buffer.concat([Buffer.from(stamp + '\n'), script.createCachedData()]));
        // atomic: a parallel run reads a whole cache or none
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only or full disk: the next run compiles again
        try {
          rmSync(tmp, { force: true });
        } catch {
          // nothing was written
        }
      }
    };
  }
  const module = { exports: {} };
  const req = createRequire(file);
  script.runInThisContext().call(module.exports, module.exports, req, module, file, dirname(file), async (name) => req(name));
  return module.exports;
}
const { PGlite, MemoryFS } = loadPglite(workerData.pglite, workerData.codeCache);
// PGlite's start looks up every array type (a query over pg_type, the first the new backend runs)
// so that array columns come back as JavaScript arrays. sqlperf reads no array column (plans are
// JSON, names and index definitions text): the lookup is left out, an array would stay PostgreSQL's
// text. A forced one (refreshArrayTypes) still runs. Measured on a start from a schema image and
// two statements: 2-5% less CPU.
const initArrayTypes = PGlite.prototype._initArrayTypes;
if (typeof initArrayTypes === 'function') {
  PGlite.prototype._initArrayTypes = async function (options) {
    if (options && options.force) return initArrayTypes.call(this, options);
  };
}
const PGDATA = '/pglite/data';
// the format of before (1) stored every file in full: it is not read, and is replaced
const MAGIC = Buffer.from('sqlperf-pgdata-2\n');
const DIR_MODE = 16895;
const FILE_MODE = 33206;
let db;
let files;

function damaged() {
  return new Error('the saved PGlite data directory is damaged');
}

function readFull(fd, buf, position) {
  for (let n = 0; n < buf.length; ) {
    const got = readSync(fd, buf, n, buf.length - n, position + n);
    if (got === 0) throw damaged();
    n += got;
  }
}

function writeFull(fd, buf) {
  for (let n = 0; n < buf.length; ) n += writeSync(fd, buf, n, buf.length - n);
}

// the image's index, with each file's absolute offset; the bytes stay in the file until read
function readImage(fd) {
  const size = fstatSync(fd).size;
  const head = Buffer.alloc(MAGIC.length + 4);
  if (size < head.length) throw new Error('not a saved PGlite data directory');
  readFull(fd, head, 0);
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a saved PGlite data directory');
  const data = head.length + head.readUInt32LE(MAGIC.length);
  if (data > size) throw damaged();
  const json = Buffer.alloc(data - head.length);
  readFull(fd, json, head.length);
  let index;
  try {
    index = JSON.parse(json.toString('utf8'));
  } catch {
    throw damaged();
  }
  const entry = (e) => Array.isArray(e) && typeof e[0] === 'string' && e[0] !== '' && !e[0].split('/').some((n) => n === '..' || n === '.' || n === '') && Number.isSafeInteger(e[1]) && e[1] >= -1;
  if (!Array.isArray(index) || !index.every(entry)) throw damaged();
  for (const e of index) {
    if (e[1] >= 0 && (!Number.isSafeInteger(e[2]) || e[2] < 0 || (e[2] += data) + e[1] > size)) throw damaged();
  }
  return { fd, index };
}

// files whose bytes are still only in the image: node -> offset in the image
const lazy = new WeakMap();

// a file PostgreSQL may never open (template databases, most catalogs): read on first access only
function lazyFile(node, fd, offset, size) {
  const own = (value) => {
    lazy.delete(node);
    Object.defineProperty(node, 'contents', { value, writable: true, configurable: true, enumerable: true });
  };
  node.usedBytes = size;
  lazy.set(node, offset);
  Object.defineProperty(node, 'contents', {
    configurable: true,
    enumerable: true,
    get() {
      const data = new Uint8Array(size);
      readFull(fd, data, offset);
      own(data);
      return data;
    },
    set: own,
  });
}

function fill(Module, { fd, index }) {
  const { FS, MEMFS } = Module;
  FS.mkdirTree(PGDATA);
  const dirs = new Map([['', FS.lookupPath(PGDATA).node]]);
  for (const [path, size, offset] of index) {
    const cut = path.lastIndexOf('/');
    const parent = dirs.get(cut < 0 ? '' : path.slice(0, cut));
    if (!parent) throw damaged();
    const node = MEMFS.createNode(parent, path.slice(cut + 1), size < 0 ? DIR_MODE : FILE_MODE, 0);
    if (size < 0) dirs.set(path, node);
    else lazyFile(node, fd, offset, size);
  }
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

// the data directory's entries, and its distinct file contents (a file never read is its range in
// the image it came from; the three databases of a fresh cluster are byte for byte the same)
function collect(FS, keep) {
  const index = [];
  const blobs = new Map();
  const walk = (dir, rel) => {
    for (const name of FS.readdir(dir).filter((n) => n !== '.' && n !== '..').sort().filter((n) => keep(rel + n))) {
      const path = dir + '/' + name;
      if (FS.isDir(FS.stat(path).mode)) {
        index.push([rel + name, -1]);
        walk(path, rel + name + '/');
        continue;
      }
      const node = FS.lookupPath(path).node;
      const from = lazy.get(node);
      const data = from !== undefined ? undefined : node.contents instanceof Uint8Array ? node.contents.subarray(0, node.usedBytes) : FS.readFile(path);
      // node:crypto is loaded here, not at the top: most starts write no image
      const key = data ? require('node:crypto').createHash('sha1').update(data).digest('hex') : '@' + from;
      if (!blobs.has(key)) blobs.set(key, { data, from, size: data ? data.length : node.usedBytes });
      index.push([rel + name, blobs.get(key).size, key]);
    }
  };
  walk(PGDATA, '');
  return { index, blobs };
}

// writes the data directory to a new file (it must not exist): see the format above
function writeImage(FS, keep, file, source) {
  const { index, blobs } = collect(FS, keep);
  let at = 0;
  for (const b of blobs.values()) (b.offset = at), (at += b.size);
  const json = Buffer.from(JSON.stringify(index.map((e) => (e[1] < 0 ? e : [e[0], e[1], blobs.get(e[2]).offset]))));
  const head = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(head);
  head.writeUInt32LE(json.length, MAGIC.length);
  const fd = openSync(file, 'wx');
  try {
    writeFull(fd, head);
    writeFull(fd, json);
    const chunk = Buffer.allocUnsafe(256 * 1024);
    for (const b of blobs.values()) {
      if (b.data) {
        writeFull(fd, b.data);
        continue;
      }
      for (let n = 0; n < b.size; n += chunk.length) {
        const part = chunk.subarray(0, Math.min(chunk.length, b.size - n));
        readFull(source, part, b.from + n);
        writeFull(fd, part);
      }
    }
  } finally {
    closeSync(fd);
  }
}

// A shipped extension is a gzipped tar of its SQL scripts and its library (.so, WebAssembly), files
// of PGlite's install tree. Handed to PGlite.create, the library is compiled and linked at the
// start (a tenth of a start for pg_trgm), though most runs never CREATE the extension; written as
// plain files instead, PostgreSQL loads the library (dlopen, synchronous in PGlite) when it is
// first used. Entries other than plain files (none in PGlite's bundles) make it PGlite's to load.
function tarFiles(tar) {
  const files = [];
  for (let at = 0; at + 512 <= tar.length; ) {
    const head = tar.subarray(at, at + 512);
    if (head.every((b) => b === 0)) break;
    const field = (from, len) => head.toString('latin1', from, from + len).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const name = (field(345, 155) ? field(345, 155) + '/' : '') + field(0, 100);
    if (!Number.isSafeInteger(size) || size < 0 || at + 512 + size > tar.length) return undefined;
    if (type === '0' || type === '') files.push({ name, data: tar.subarray(at + 512, at + 512 + size) });
    else if (type !== '5') return undefined;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

// the extension's files when it needs nothing at PGlite's start but them (its setup returns only
// its bundle), else undefined
async function plainFiles(ext) {
  try {
    const setup = await ext.setup(undefined, {});
    if (!setup || Object.keys(setup).join() !== 'bundlePath') return undefined;
    const files = tarFiles(require('node:zlib').gunzipSync(readFileSync(fileURLToPath(setup.bundlePath))));
    if (!files || files.some((f) => f.name.startsWith('/') || f.name.split('/').includes('..'))) return undefined;
    return files;
  } catch {
    return undefined;
  }
}

function writeFiles(FS, files) {
  for (const f of files) {
    const path = '/pglite/' + f.name;
    FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
    FS.writeFile(path, f.data);
  }
}

// PGlite's in-memory file system, filled from an image before PostgreSQL starts (it then finds its
// cluster and resumes), and written to one when it is closed, after PostgreSQL's clean shutdown
class ImageFS extends MemoryFS {
  constructor(image, extensionFiles) {
    super();
    this.image = image;
    this.extensionFiles = extensionFiles;
    this.packOnClose = undefined;
    this.packError = undefined;
  }
  async initialSyncFs() {
    for (const files of this.extensionFiles) writeFiles(this.pg.Module.FS, files);
    if (this.image) fill(this.pg.Module, this.image);
  }
  async closeFs() {
    try {
      if (this.packOnClose) writeImage(this.pg.Module.FS, this.packOnClose.keep, this.packOnClose.file, this.image && this.image.fd);
    } catch (e) {
      this.packError = e;
    }
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

async function dump(file, shutdown) {
  if (shutdown) {
    files.packOnClose = { keep: walToKeep(await currentWalFile()), file };
    await db.close();
    if (files.packError) throw files.packError;
    return;
  }
  // what the schema load wrote reaches the data files: the next start replays almost no WAL
  await db.exec('CHECKPOINT');
  writeImage(db.Module.FS, walToKeep(await currentWalFile()), file, files.image && files.image.fd);
}

parentPort.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      const extensions = {};
      const extensionFiles = [];
      for (const [name, file] of Object.entries(m.extensions)) {
        const ext = require(file)[name];
        const plain = await plainFiles(ext);
        if (plain) extensionFiles.push(plain);
        else extensions[name] = ext;
      }
      files = new ImageFS(m.imageFd === undefined ? undefined : readImage(m.imageFd), extensionFiles);
      const pgliteWasmModule = await wasmModule.catch(() => undefined);
      db = await PGlite.create({ fs: files, extensions, startParams: [...PGlite.defaultStartParams, ...m.startParams], initDbStartParams: m.initDbParams, ...(pgliteWasmModule ? { pgliteWasmModule } : {}) });
      parentPort.postMessage({ id: m.id });
    } else if (m.type === 'exec') {
      const res = await db.exec(m.sql);
      parentPort.postMessage({ id: m.id, results: res.map((r) => ({ rows: r.rows })) });
      if (writeCodeCache) writeCodeCache();
    } else if (m.type === 'dump') {
      await dump(m.file, m.shutdown);
      parentPort.postMessage({ id: m.id });
    }
  } catch (e) {
    fail(m.id, e);
  }
});
`;
