/**
 * What a browser loads before the renderer's first screen: the chunks index.html names (its module script
 * and modulepreload links) and every chunk those import statically, read from a real Vite/rolldown build's
 * output. Used by the bundle-size tests of web mode and of the Electron build.
 */
import { gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';

type OutputAsset = Rolldown.OutputAsset;
type OutputChunk = Rolldown.OutputChunk;
type RolldownOutput = Rolldown.RolldownOutput;

/** The initial chunks of a build and their total gzipped size. */
export interface InitialLoad {
  /** index.html's module scripts and modulepreload links, relative to the output directory. */
  referenced: string[];
  chunks: OutputChunk[];
  gzipBytes: number;
  /** Every module id bundled into the initial chunks (absolute paths, node_modules included). */
  modules: string[];
}

/** The outputs of a `vite build` call (one build here; Vite returns an array for several outputs). */
export function outputsOf(result: unknown): RolldownOutput {
  const output = (Array.isArray(result) ? result[0] : result) as RolldownOutput | undefined;
  if (!output || !Array.isArray(output.output)) throw new Error('The build returned no output (was it run in watch mode?)');
  return output;
}

/** Reads index.html from a build's output and follows its scripts' static imports. */
export function initialLoad(build: RolldownOutput): InitialLoad {
  const files = new Map(build.output.map((file) => [file.fileName, file]));
  const html = files.get('index.html') as OutputAsset | undefined;
  if (!html) throw new Error('The build has no index.html');
  const text = typeof html.source === 'string' ? html.source : Buffer.from(html.source).toString('utf8');
  const referenced = [
    ...[...text.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
    ...[...text.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!),
  ].map((ref) => ref.replace(/^\.?\//, ''));
  if (referenced.length === 0) throw new Error('index.html names no module script');
  const chunks = new Map<string, OutputChunk>();
  const visit = (fileName: string) => {
    if (chunks.has(fileName)) return;
    const file = files.get(fileName);
    if (!file || file.type !== 'chunk') throw new Error(`index.html names ${fileName}, which is not a chunk of the build`);
    chunks.set(fileName, file);
    for (const imported of file.imports) visit(imported);
  };
  for (const ref of referenced) visit(ref);
  const all = [...chunks.values()];
  return {
    referenced,
    chunks: all,
    gzipBytes: all.reduce((sum, chunk) => sum + gzipSync(chunk.code).length, 0),
    modules: all.flatMap((chunk) => Object.keys(chunk.modules)),
  };
}

/** The modules of a package (by its node_modules path segment, e.g. `zod` or `@codemirror/`) among ids. */
export function modulesOf(modules: readonly string[], pkg: string): string[] {
  return modules.filter((id) => id.replace(/\\/g, '/').includes(`/node_modules/${pkg}`));
}
