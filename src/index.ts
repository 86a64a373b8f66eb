/**
 * sqlperf: the public API. `import { analyze } from 'sqlperf'` works at once for PostgreSQL: this
 * entry loads PostgreSQL's parser (WebAssembly, ~50 ms) with top-level await. Front ends that may
 * not need it import `./api.js` and call `ready()` themselves.
 */
import { ready } from './api.js';

await ready();

export * from './api.js';
