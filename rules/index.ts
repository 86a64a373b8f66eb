import type { AnyRule } from '../src/rule.js';
import maxInList from './max-in-list.js';
import maxJoins from './max-joins.js';
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
import noSelectStar from './no-select-star.js';
import preferExists from './prefer-exists.js';
import preferUnionAll from './prefer-union-all.js';
import requireInsertColumns from './require-insert-columns.js';
import requireWhere from './require-where.js';

/** Every rule, sorted by id. Adding a rule: one file here, one line below, one fixture folder. */
export const rules: readonly AnyRule[] = [
  maxInList,
  maxJoins,
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
  noSelectStar,
  preferExists,
  preferUnionAll,
  requireInsertColumns,
  requireWhere,
];
