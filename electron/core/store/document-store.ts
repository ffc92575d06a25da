/**
 * One schema-validated JSON file per concern in the data directory. Files are written atomically
 * (conf writes through `atomically`: temp file, fsync, rename), so a crash leaves the old or the new
 * document, never a mix; the temp file a crash leaves behind is removed at the next open. A file that
 * cannot be parsed or fails its schema is moved aside, never overwritten, and reported as a notice; the
 * app then starts usable.
 */
import { renameSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Conf from 'conf';
import type { z } from 'zod';
import { now } from '../clock';
import type { StoreNotice } from '../../../shared/schemas/app';

/** A JSON document on disk. `read` returns undefined when the file does not exist and throws when it cannot be parsed. */
export interface DocumentFile {
  readonly path: string;
  read(): unknown;
  write(value: Record<string, unknown>): void;
}

/** Opens the document named `name` (without extension) in the data directory. */
export type DocumentStoreFactory = (name: string) => DocumentFile;

/** Anything with conf's `store` accessor and `path`: conf itself in Node, electron-store in Electron. */
export interface ConfLike {
  readonly path: string;
  store: Record<string, unknown>;
}

/** Adapts a conf-compatible store class. The instance is created lazily because conf parses the file in its constructor. */
export function confLikeFactory(dataDir: string, create: (name: string, cwd: string) => ConfLike): DocumentStoreFactory {
  return (name) => {
    const path = join(dataDir, `${name}.json`);
    let instance: ConfLike | undefined;
    const get = (): ConfLike => (instance ??= create(name, dataDir));
    return {
      path,
      read() {
        if (!existsSync(path)) return undefined;
        instance = undefined; // re-read from disk: conf would otherwise keep a stale instance after a move-aside
        return get().store;
      },
      write(value) {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        get().store = value;
      },
    };
  };
}

/** The document store used in web and headless modes: conf, electron-store's base library. */
export function confStoreFactory(dataDir: string): DocumentStoreFactory {
  return confLikeFactory(
    dataDir,
    (name, cwd) =>
      new Conf<Record<string, unknown>>({
        cwd,
        configName: name,
        projectName: 'parley',
        clearInvalidConfig: false,
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
      }) as unknown as ConfLike,
  );
}

/**
 * Removes what an interrupted atomic write left next to the file: `name.json.tmp-<stamp>` (atomically's temp
 * file, renamed over the document only once complete). A process killed mid-write leaves one behind; it is
 * never read, may hold a copy of the document (client secrets included), and would pile up crash after crash.
 * Called when the document is opened, before this process writes it.
 */
function removeInterruptedWrites(path: string): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return; // no data directory yet
  }
  for (const name of names) if (name.startsWith(prefix)) rmSync(join(dirname(path), name), { force: true });
}

/** A schema-validated document: the current value and an atomic save. */
export interface Document<T> {
  readonly value: T;
  save(next: T): void;
}

/**
 * Opens a document: parses it with `schema`; when it cannot be parsed or validated, moves the file aside
 * (`name.json.corrupt-<timestamp>`), records a notice, and starts from `defaults()`.
 */
export function openDocument<T extends Record<string, unknown>>(
  factory: DocumentStoreFactory,
  name: string,
  schema: z.ZodType<T>,
  defaults: () => T,
  notices: StoreNotice[],
): Document<T> {
  const file = factory(name);
  removeInterruptedWrites(file.path);
  let value: T;
  let raw: unknown;
  let failure: string | undefined;
  try {
    raw = file.read();
  } catch (e) {
    failure = `the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (failure === undefined && raw !== undefined) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) {
      value = parsed.data;
    } else {
      failure = `the file does not match its schema (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
    }
  }
  if (failure !== undefined) {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const movedTo = `${file.path}.corrupt-${stamp}`;
    renameSync(file.path, movedTo);
    notices.push({ file: file.path, movedTo, reason: failure, at: now().toISOString() });
    value = defaults();
  } else if (raw === undefined) {
    value = defaults();
  }
  return {
    get value() {
      return value;
    },
    save(next: T) {
      const checked = schema.parse(next);
      file.write(checked);
      value = checked;
    },
  };
}
