import type { QueryBlock } from './types.js';

/**
 * Facts derived from a query block (its predicates, expressions, scope index, row estimates),
 * computed once per block. Not a WeakMap: V8's scavenger does not clear the entry of a young key
 * that died (only a full collection does), so a WeakMap kept every statement's blocks and facts
 * alive through the young collections, which copied them and moved them to the old generation,
 * and full collections then had to free them: on the PostgreSQL corpus about 400 KB survived each
 * young collection and the collector's threads took about a quarter of the analysis' CPU.
 *
 * Instead, a table holds the blocks of one statement (the one whose blocks were last asked
 * about), and a block of another statement starts a new table. A statement is analysed as a
 * whole (rules, then cost and index suggestions) before the next, so a fact is still computed
 * once; a caller that alternates between statements only computes again, with the same result.
 */
export class BlockMemo<V> {
  private root: QueryBlock | undefined;
  private table = new Map<QueryBlock, V>();

  /** The block's fact; a hit always belongs to the current statement, whose blocks alone are in the table. */
  get(block: QueryBlock): V | undefined {
    return this.table.get(block);
  }

  set(block: QueryBlock, value: V): void {
    let root = block;
    while (root.parent) root = root.parent;
    if (root !== this.root) {
      this.root = root;
      this.table = new Map();
    }
    this.table.set(block, value);
  }
}
