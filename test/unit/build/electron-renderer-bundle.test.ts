/**
 * The Electron app's renderer, built for real with electron-vite's renderer config (electron.vite.config.ts,
 * as `npm run build` builds it; output kept in memory): its first load is held to the same budget as web
 * mode's, without zod or CodeMirror, and it is minified (electron-vite leaves a renderer unminified unless
 * told otherwise).
 */
import { join } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import type { InlineConfig } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InitialLoad } from './initial-chunks';
import { initialLoad, modulesOf, outputsOf } from './initial-chunks';

const BUDGET_BYTES = 250 * 1000;

let initial: InitialLoad;

beforeAll(async () => {
  // As `npm run build:renderer` runs: vitest sets NODE_ENV=test, which would bundle React's development build.
  const env = { NODE_ENV: process.env['NODE_ENV'], NODE_ENV_ELECTRON_VITE: process.env['NODE_ENV_ELECTRON_VITE'] };
  process.env['NODE_ENV'] = 'production';
  // What electron-vite's own `build` sets before resolving (it makes `base` relative for app://).
  process.env['NODE_ENV_ELECTRON_VITE'] = 'production';
  let result: unknown;
  try {
    const resolved = await resolveConfig({ configFile: join(process.cwd(), 'electron.vite.config.ts'), logLevel: 'silent' }, 'build', 'production');
    const renderer = resolved.config?.renderer as InlineConfig | undefined;
    if (!renderer) throw new Error('electron.vite.config.ts has no renderer config');
    result = await build({ ...renderer, configFile: false, logLevel: 'silent', build: { ...renderer.build, write: false } });
  } finally {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  initial = initialLoad(outputsOf(result));
  console.log(`first load: ${initial.chunks.length} chunks, ${initial.gzipBytes} bytes gzipped`);
}, 180_000);

describe('Renderer build › Electron › first load', () => {
  it(`loads at most ${BUDGET_BYTES / 1000} KB of JavaScript gzipped before the first screen`, () => {
    expect(initial.gzipBytes, `initial chunks: ${initial.chunks.map((c) => c.fileName).join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps zod and CodeMirror out of the first load', () => {
    expect(modulesOf(initial.modules, 'zod/')).toEqual([]);
    expect(modulesOf(initial.modules, '@codemirror/')).toEqual([]);
  });

  it('is minified: no comments kept, long lines', () => {
    for (const chunk of initial.chunks.filter((c) => c.code.length > 10_000)) {
      const lines = chunk.code.split('\n');
      expect(chunk.code.length / lines.length, chunk.fileName).toBeGreaterThan(1000);
      // A minifier drops comments; a plain bundle keeps the sources' line comments.
      expect(chunk.code, chunk.fileName).not.toMatch(/\n\s*\/\/ /);
    }
  });
});
