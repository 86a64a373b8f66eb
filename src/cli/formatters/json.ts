import type { Formatter } from '../types.js';
import { escapeJsonText } from './escape.js';

/** ESLint's JSON result shape, so reviewdog, editors and dashboards read it as they read ESLint's. */
export const json: Formatter = (results) => escapeJsonText(JSON.stringify(results)) + '\n';
