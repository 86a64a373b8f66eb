import type { Dialect } from './dialect.js';
import { isPgLoaded, loadPg } from './parse/pg.js';

/**
 * Loads what `analyze` needs for these dialects (PostgreSQL's WebAssembly parser); other dialects
 * load synchronously on first use. Safe to call many times. A module of its own so that front ends
 * can call it without loading the whole public API.
 */
export async function ready(dialects: readonly Dialect[] = ['postgresql']): Promise<void> {
  if (dialects.includes('postgresql') && !isPgLoaded()) await loadPg();
}
