import { readFileSync } from 'node:fs';

/** sqlperf's own package.json (one or two folders up, from src/ or dist/src/); empty when not found. */
export function packageJson(): { name?: string; version?: string; repository?: string | { url?: string } } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as ReturnType<typeof packageJson>;
      if (pkg.name === 'sqlperf') return pkg;
    } catch {
      // try the next place
    }
  }
  return {};
}

/** sqlperf's version, from its package.json. */
export function version(): string {
  return packageJson().version ?? '0.0.0';
}
