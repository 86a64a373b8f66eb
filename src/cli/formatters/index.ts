import type { Formatter } from '../types.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

export const FORMATTERS = { stylish, json, sarif, github } satisfies Record<string, Formatter>;
export type FormatName = keyof typeof FORMATTERS;
