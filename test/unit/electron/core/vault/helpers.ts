/**
 * Shared set-up for vault tests: a fresh temp data directory per vault, a low scrypt cost, and a
 * recorder for bus events.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { ErrorCode } from '../../../../../shared/errors';
import type { ParleyEvent } from '../../../../../shared/ipc/contract';
import { EventBus } from '../../../../../electron/core/events';
import { confStoreFactory } from '../../../../../electron/core/store/document-store';
import type { SafeStorageProtector, VaultOptions } from '../../../../../electron/core/vault';
import { Vault } from '../../../../../electron/core/vault';
import type { StoreNotice } from '../../../../../shared/schemas/app';

/** scrypt cost low enough for unit tests (production uses N = 2^17). */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
/** The passphrase most tests set up with. */
export const PASSPHRASE = 'correct horse battery staple';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty temp data directory, removed after the file's tests. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-vault-'));
  dirs.push(dir);
  return dir;
}

/** A vault over `dir` with its bus events and notices recorded. */
export interface VaultHarness {
  vault: Vault;
  dir: string;
  events: ParleyEvent[];
  notices: StoreNotice[];
}

/** Opens a vault over `dir` (a new temp dir by default). */
export function openVault(
  dir = tempDataDir(),
  options: Partial<Pick<VaultOptions, 'protector' | 'scrypt' | 'confirmPrivateExport' | 'audit'>> = {},
): VaultHarness {
  const bus = new EventBus();
  const events: ParleyEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const notices: StoreNotice[] = [];
  const vault = new Vault({ store: confStoreFactory(dir), events: bus, notices, scrypt: FAST_SCRYPT, ...options });
  return { vault, dir, events, notices };
}

/** A vault set up with PASSPHRASE and unlocked. */
export async function unlockedVault(dir?: string): Promise<VaultHarness> {
  const harness = openVault(dir);
  await harness.vault.setup(PASSPHRASE);
  return harness;
}

/** A stand-in for Electron safeStorage: reversible, and counting calls. */
export function fakeProtector(): SafeStorageProtector & { wraps: number; unwraps: number } {
  const mask = Buffer.alloc(32, 0x5a);
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((byte, i) => byte ^ (mask[i % mask.length] ?? 0)));
  return {
    kind: 'safeStorage',
    wraps: 0,
    unwraps: 0,
    async wrap(dataKey) {
      this.wraps++;
      return `fake-safe-storage:${xor(dataKey).toString('base64')}`;
    },
    async unwrap(wrapped) {
      this.unwraps++;
      if (!wrapped.startsWith('fake-safe-storage:')) throw new Error('not ours');
      return { plaintext: xor(Buffer.from(wrapped.slice('fake-safe-storage:'.length), 'base64')), shouldReEncrypt: false };
    },
  };
}

/** Runs `action` and returns what it threw (sync or async); fails the test if nothing was thrown. */
export async function caught(action: () => unknown): Promise<{ code: ErrorCode; message: string; details?: Record<string, unknown> }> {
  try {
    await action();
  } catch (e) {
    return e as { code: ErrorCode; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected an error, but the action succeeded');
}

/** Asserts a ParleyError with `code` whose message matches `message`. */
export async function expectError(action: () => unknown, code: ErrorCode, message: RegExp): Promise<void> {
  const error = await caught(action);
  expect(error).toMatchObject({ name: 'ParleyError', code });
  expect(error.message).toMatch(message);
}

/** The path of the vault document in `dir`. */
export function vaultFile(dir: string): string {
  return join(dir, 'vault.json');
}

/** Every file under `dir` with its bytes. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}
