/**
 * `--verify`: static findings checked against PostgreSQL's own analyzer and planner, run
 * in-process by PGlite (an optional dependency, imported only here and only when asked for).
 */
export { beginVerify, verify, VERIFY_VERSION, type EarlyVerify, type VerifyOptions } from './verify.js';
export { verifiedDiagnostics, type FileDiagnostic } from './diagnostics.js';
export type { IndexOutcome, IndexStatus, UnitOutcome, VerifiedIndex, VerifiedQuery, VerifyReport, VerifyTimings } from './report.js';
export { unitsFromAnalysis, unitsFromHost, type HostUnitOptions, type VerifyUnit } from './units.js';
export { applySchema, loadSchema, extensionsOf, schemaHash, schemaStatements, type SchemaLoadResult, type SchemaProblem, type SchemaStatement } from './load-schema.js';
export { pgliteVersion, startDatabase, VerifyUnavailableError, PGLITE_MISSING, SHIPPED_EXTENSIONS, type Database, type PgError } from './pglite.js';
export { formatVerifiedIndexes, verifyNotes } from './format.js';
export { beginVerifyProject, prewarmVerifyProject, verifyProject, defaultCacheFile, type EarlyProjectVerify, type ProjectFile, type VerifyProjectOptions } from './project.js';
export { verifyLimits, WatchdogError, type VerifyLimits } from './supervisor.js';
export { userCacheDir } from './data-dir.js';
