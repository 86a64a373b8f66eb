/**
 * Aggregate functions across the dialects (lower-case). `grouping(...)` is PostgreSQL's and MySQL's
 * grouping operation: not an aggregate of rows, but allowed only where aggregates are (HAVING,
 * the select list, ORDER BY), never in WHERE.
 */
export const AGGREGATES = new Set([
  'grouping',
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg',
  'group_concat', 'listagg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'percentile_cont', 'percentile_disc', 'mode', 'count_big', 'any_value', 'approx_count_distinct',
  'array_concat_agg', 'countif', 'logical_and', 'logical_or', 'median', 'xmlagg', 'corr', 'covar_pop', 'covar_samp', 'regr_slope',
]);

/** Functions that return a random value, per dialect spelling. */
export const RANDOM_FUNCTIONS = new Set(['rand', 'random', 'newid', 'uuid', 'gen_random_uuid', 'uuid_generate_v4', 'dbms_random.value', 'rand_']);
