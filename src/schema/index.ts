/** Schema from DDL files (migrations, dumps), without a database connection. */
export { loadSchema, findTable, schemaForText, readDdl, ddlAt, emptySchema, upSection, type LoadSchemaOptions } from './load.js';
export { orderMigrationFiles, compareMigrationPaths } from './order.js';
export { candidatesMessage, declaredWorkspaces, discoverSchemaFiles, readSchemaFiles, schemaEntryFiles, sqlFilesUnder, type DiscoveredSchema, type SchemaLayout } from './discover.js';
export { filterServed, coverage, needOf, anyUsableIndex, SMALL_TABLE_ROWS, type Need, type KeyRef } from './match.js';
export type * from './types.js';
export { schemaAppliesTo } from './scope.js';
