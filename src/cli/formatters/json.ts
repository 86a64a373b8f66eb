import type { Formatter } from '../types.js';

/** ESLint's JSON result shape, so reviewdog, editors and dashboards read it as they read ESLint's. */
export const json: Formatter = (results) => JSON.stringify(results) + '\n';
