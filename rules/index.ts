import type { AnyRule } from '../src/rule.js';
import maxInList from './max-in-list.js';
import maxJoins from './max-joins.js';
import missingIndex from './missing-index.js';
import noCartesianJoin from './no-cartesian-join.js';
import noCorrelatedSubquery from './no-correlated-subquery.js';
import noDistinctWithJoin from './no-distinct-with-join.js';
import noFunctionOnColumn from './no-function-on-column.js';
import noHavingWithoutAggregate from './no-having-without-aggregate.js';
import noInequalityFilter from './no-inequality-filter.js';
import noLeadingWildcard from './no-leading-wildcard.js';
import noNotInSubquery from './no-not-in-subquery.js';
import noOffsetPagination from './no-offset-pagination.js';
import noOrAcrossColumns from './no-or-across-columns.js';
import noOrderByRandom from './no-order-by-random.js';
import noQueryInLoop from './no-query-in-loop.js';
import noSelectStar from './no-select-star.js';
import noUnsafeInterpolation from './no-unsafe-interpolation.js';
import preferExists from './prefer-exists.js';
import preferUnionAll from './prefer-union-all.js';
import redundantIndex from './redundant-index.js';
import requireInsertColumns from './require-insert-columns.js';
import requireWhere from './require-where.js';
import unindexedForeignKey from './unindexed-foreign-key.js';
import unknownColumn from './unknown-column.js';
import unknownTable from './unknown-table.js';

/** Every rule, sorted by id. Adding a rule: one file here, one line below, one fixture folder. */
export const rules: readonly AnyRule[] = [
  maxInList,
  maxJoins,
  missingIndex,
  noCartesianJoin,
  noCorrelatedSubquery,
  noDistinctWithJoin,
  noFunctionOnColumn,
  noHavingWithoutAggregate,
  noInequalityFilter,
  noLeadingWildcard,
  noNotInSubquery,
  noOffsetPagination,
  noOrAcrossColumns,
  noOrderByRandom,
  noQueryInLoop,
  noSelectStar,
  noUnsafeInterpolation,
  preferExists,
  preferUnionAll,
  redundantIndex,
  requireInsertColumns,
  requireWhere,
  unindexedForeignKey,
  unknownColumn,
  unknownTable,
];
