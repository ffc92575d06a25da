/**
 * Local users of the sign-in page, persisted in users.json with scrypt password hashes (async, so a
 * sign-in never blocks the event loop). Password checks run in constant time, and an unknown email costs
 * the same scrypt as a known one, so timing does not reveal which emails exist.
 */
import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { ServerUser } from '../../../../shared/schemas/server';
import { now } from '../../clock';
import { randomBytes } from '../../random';
import type { Document, DocumentStoreFactory } from '../../store/document-store';
import { openDocument } from '../../store/document-store';
import { ManagementError } from '../errors';
import { newPassword, newUserId } from './ids';
import { root } from '../management/payload';
import type { UserView } from './types';
import type { StoreNotice } from '../../../../shared/schemas/app';
import { RULES } from '../rules';
import { NO_TRACE } from '../recording';
import type { RuleSink } from '../recording';

/** scrypt cost for stored passwords (16 MiB, tens of milliseconds: a local emulator's users). */
export const USER_SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
/** The only database connection, as in a fresh Auth0 tenant. */
export const DEFAULT_CONNECTION = 'Username-Password-Authentication';
/** The demo user created at first start. */
export const DEMO_EMAIL = 'demo@parley.local';

const storedUserSchema = z
  .object({
    user_id: z.string().min(1).max(128),
    email: z.string().min(3).max(254),
    name: z.string().max(128),
    email_verified: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    /** `scrypt$N$r$p$salt$hash`, base64url parts. */
    password_hash: z.string().startsWith('scrypt$'),
  })
  .strict();

const usersDocumentSchema = z
  .object({
    version: z.literal(1),
    users: z.array(storedUserSchema).max(10_000),
    /** The demo user's password, shown in the app so the sign-in page can be used at once. */
    demo: z.object({ user_id: z.string(), email: z.string(), password: z.string() }).strict().optional(),
  })
  .strict();

type StoredUser = z.infer<typeof storedUserSchema>;
type UsersDocument = z.infer<typeof usersDocumentSchema>;

/** A user as Auth0's Management API returns it (fields in Auth0's alphabetical order). */
export interface UserJson {
  created_at: string;
  email: string;
  email_verified: boolean;
  identities: { connection: string; user_id: string; provider: 'auth0'; isSocial: false }[];
  name: string;
  nickname: string;
  updated_at: string;
  user_id: string;
}

function scrypt(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, USER_SCRYPT);
  return ['scrypt', USER_SCRYPT.N, USER_SCRYPT.r, USER_SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

// A fixed hash to compare against when the email is unknown, so that case costs a full scrypt too.
const DUMMY_HASH = `scrypt$${USER_SCRYPT.N}$${USER_SCRYPT.r}$${USER_SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash ?? '', 'base64url');
  const actual = await scrypt(password, Buffer.from(salt ?? '', 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The one form of an email the server stores and compares: trimmed, Unicode NFC, lower-cased (Auth0 compares
 * database-connection emails case-insensitively and stores them lower-cased). Without NFC, `josé` typed as
 * `e` + U+0301 and as `é` were two users. NFC again after lower-casing, which can decompose (`İ`).
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase().normalize('NFC');
}

/** A user as a tenant file declares it (already validated by parseUserBody). */
export interface DeclaredUser {
  email: string;
  password?: string;
  name?: string;
  emailVerified?: boolean;
}

/**
 * Validates a POST /api/v2/users body (Auth0's messages). Exported so that a declared tenant is checked with
 * the very same rules before anything is written. `passwordOptional`: a declared user that may already exist.
 */
export function parseUserBody(
  body: unknown,
  sink: RuleSink = NO_TRACE,
  passwordOptional = false,
): { email: string; password: string; name: string; emailVerified: boolean } {
  const field = root(sink, RULES['E-7']);
  const obj = field.object(body, ['email', 'password', 'name', 'connection', 'email_verified']);
  field.required(obj, 'email');
  if (!passwordOptional || obj.password !== undefined) field.required(obj, 'password');
  // Checked again once normalised: lower-casing can lengthen a string ('İ' becomes two characters), and users.json holds at most 254.
  const email = field.at('email').string(normaliseEmail(field.at('email').string(obj.email, 3, 254)), 3, 254);
  if (!EMAIL.test(email)) throw field.at('email').error(`Object didn't pass validation for format email: ${email}`, 'an email address', email);
  const password = obj.password === undefined ? '' : field.at('password').string(obj.password, 1, 256);
  const name = obj.name === undefined ? email : field.at('name').string(obj.name, 0, 128).trim() || email;
  const emailVerified = obj.email_verified === undefined ? false : field.at('email_verified').boolean(obj.email_verified);
  if (obj.connection !== undefined && field.at('connection').string(obj.connection, 1, 128) !== DEFAULT_CONNECTION) {
    throw new ManagementError(400, 'inexistent_connection', 'The connection does not exist.');
  }
  // Auth0's default database policy ("fair"): at least 8 characters.
  if (obj.password !== undefined && password.length < 8) throw new ManagementError(400, 'invalid_body', 'PasswordStrengthError: Password is too weak');
  return { email, password, name, emailVerified };
}

/** The users of the embedded server. */
export class UserStore {
  readonly #doc: Document<UsersDocument>;

  constructor(store: DocumentStoreFactory, notices: StoreNotice[]) {
    this.#doc = openDocument(store, 'users', usersDocumentSchema, () => ({ version: 1 as const, users: [] }), notices);
  }

  /** Creates a user from `{email, password, name?}` (plus Auth0's `connection`, `email_verified`). */
  async create(body: unknown, sink: RuleSink = NO_TRACE): Promise<UserJson> {
    const { email, password, name, emailVerified } = parseUserBody(body, sink);
    this.#assertNew(email);
    const passwordHash = await hashPassword(password);
    this.#assertNew(email); // another create may have finished while scrypt ran
    const at = now().toISOString();
    const user: StoredUser = { user_id: newUserId(), email, name, email_verified: emailVerified, created_at: at, updated_at: at, password_hash: passwordHash };
    this.#doc.save({ ...this.#doc.value, users: [...this.#doc.value.users, user] });
    return userJson(user);
  }

  /**
   * Parley only, for a declared tenant (server/tenant): makes the user with this email match `declared`,
   * creating it when absent. A password that already verifies is not hashed again, so declaring the same
   * user twice writes nothing. Returns whether anything changed.
   */
  async declare(declared: DeclaredUser): Promise<boolean> {
    const existing = this.#byEmail(declared.email);
    if (!existing) {
      if (declared.password === undefined) throw new ManagementError(400, 'invalid_body', `A password is needed to create the user ${declared.email}.`);
      await this.create({
        email: declared.email,
        password: declared.password,
        ...(declared.name === undefined ? {} : { name: declared.name }),
        ...(declared.emailVerified === undefined ? {} : { email_verified: declared.emailVerified }),
      });
      return true;
    }
    let next: StoredUser = existing;
    if (declared.name !== undefined && declared.name !== existing.name) next = { ...next, name: declared.name };
    if (declared.emailVerified !== undefined && declared.emailVerified !== existing.email_verified) next = { ...next, email_verified: declared.emailVerified };
    if (declared.password !== undefined && !(await verifyPassword(declared.password, existing.password_hash)))
      next = { ...next, password_hash: await hashPassword(declared.password) };
    if (next === existing) return false;
    next = { ...next, updated_at: now().toISOString() };
    this.#doc.save({ ...this.#doc.value, users: this.#doc.value.users.map((u) => (u.user_id === next.user_id ? next : u)) });
    return true;
  }

  /** Every stored user with what a tenant export shows (no password material). */
  exportable(): { email: string; name: string; email_verified: boolean }[] {
    return this.#doc.value.users.map((u) => ({ email: u.email, name: u.name, email_verified: u.email_verified }));
  }

  #assertNew(email: string): void {
    if (this.#byEmail(email)) throw new ManagementError(409, 'auth0_idp_error', 'The user already exists.');
  }

  /** The stored user with this email, compared in normal form on both sides (users.json may predate NFC). */
  #byEmail(email: string): StoredUser | undefined {
    const wanted = normaliseEmail(email);
    return this.#doc.value.users.find((u) => u.email === wanted || normaliseEmail(u.email) === wanted);
  }

  /** The id of the user with this email (any Unicode form or case), for per-user sign-in counters. */
  userIdByEmail(email: string): string | undefined {
    return this.#byEmail(email)?.user_id;
  }

  /** Every user as Auth0 shows it. */
  list(): UserJson[] {
    return this.#doc.value.users.map(userJson);
  }

  /** Every user as the UI shows it (no password material). */
  listForUi(): ServerUser[] {
    return this.#doc.value.users.map(userUi);
  }

  /** One user as Auth0 shows it; 404 inexistent_user. */
  getJson(userId: string): UserJson {
    return userJson(this.#find(userId));
  }

  /** One user as the UI shows it; 404 inexistent_user. */
  getForUi(userId: string): ServerUser {
    return userUi(this.#find(userId));
  }

  #find(userId: string): StoredUser {
    const user = this.#doc.value.users.find((u) => u.user_id === userId);
    if (!user) throw new ManagementError(404, 'inexistent_user', 'The user does not exist.');
    return user;
  }

  /** Deletes a user; 404 inexistent_user. */
  delete(userId: string): void {
    this.#find(userId);
    const demo = this.#doc.value.demo;
    this.#doc.save({
      version: 1,
      users: this.#doc.value.users.filter((u) => u.user_id !== userId),
      // The demo record stays (so the demo user is not re-created at next start) but forgets its password.
      ...(demo ? { demo: demo.user_id === userId ? { ...demo, password: '' } : demo } : {}),
    });
  }

  /** The user, for ID tokens and /userinfo. */
  view(userId: string): UserView | undefined {
    const u = this.#doc.value.users.find((x) => x.user_id === userId);
    return u ? { user_id: u.user_id, email: u.email, name: u.name, email_verified: u.email_verified } : undefined;
  }

  /** The user when email and password match (constant-time, same cost for unknown emails). */
  async authenticate(email: string, password: string): Promise<UserView | undefined> {
    const user = this.#byEmail(email);
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    return ok && user ? this.view(user.user_id) : undefined;
  }

  /** Creates the demo user once (first start); its password is kept so the app can show it. */
  async ensureDemo(): Promise<void> {
    // Once created, never again: a user who deleted the demo user does not want it back.
    if (this.#doc.value.demo || this.#byEmail(DEMO_EMAIL)) return;
    const password = newPassword();
    const created = await this.create({ email: DEMO_EMAIL, password, name: 'Demo User', email_verified: true });
    this.#doc.save({ ...this.#doc.value, demo: { user_id: created.user_id, email: DEMO_EMAIL, password } });
  }

  /** The demo user's sign-in, while it exists. */
  demoCredentials(): { email: string; password: string }[] {
    const demo = this.#doc.value.demo;
    return demo && this.#doc.value.users.some((u) => u.user_id === demo.user_id) ? [{ email: demo.email, password: demo.password }] : [];
  }
}

function userJson(u: StoredUser): UserJson {
  return {
    created_at: u.created_at,
    email: u.email,
    email_verified: u.email_verified,
    identities: [{ connection: DEFAULT_CONNECTION, user_id: u.user_id.replace(/^auth0\|/, ''), provider: 'auth0', isSocial: false }],
    name: u.name,
    nickname: u.email.split('@')[0] ?? u.email,
    updated_at: u.updated_at,
    user_id: u.user_id,
  };
}

function userUi(u: StoredUser): ServerUser {
  return { user_id: u.user_id, email: u.email, name: u.name, email_verified: u.email_verified, created_at: u.created_at };
}
