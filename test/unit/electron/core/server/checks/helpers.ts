/**
 * A small embedded-server world for the JWT check pipelines: real RSA keys generated once per file, an
 * in-test client directory, real MemoryStores and TraceRecorder, a frozen clock, and signing helpers
 * that can also forge (alg none, HMAC with the public key, JWE-shaped tokens).
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { base64url, calculateJwkThumbprint, CompactSign, exportJWK } from 'jose';
import { expect } from 'vitest';
import type { JwtCheckContext } from '../../../../../../electron/core/server/checks/jwt-credentials';
import { OAuthError } from '../../../../../../electron/core/server/errors';
import { MemoryStores } from '../../../../../../electron/core/server/state/memory';
import type { ClientDirectory, ClientView, CredentialSlot, CredentialView } from '../../../../../../electron/core/server/state/types';
import { TraceRecorder } from '../../../../../../electron/core/server/trace';
import type { ServerSettings } from '../../../../../../shared/schemas/server';

/** 2026-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2026, 0, 1);
/** The same instant in seconds. */
export const NOW = NOW_MS / 1000;
/** The embedded server's issuer, with its trailing slash. */
export const ISSUER = 'http://127.0.0.1:4747/';
/** Its token endpoint. */
export const TOKEN_URL = `${ISSUER}oauth/token`;
/** Its PAR endpoint. */
export const PAR_URL = `${ISSUER}oauth/par`;

/** An RSA key pair with its RFC 7638 thumbprint. */
export interface TestKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
  thumbprint: string;
}

/** A fresh RSA 2048 key pair. */
export async function rsaKey(): Promise<TestKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKey, publicPem, thumbprint: await calculateJwkThumbprint(await exportJWK(publicKey)) };
}

/** A client as the directory would return it. */
export function clientView(clientId: string, patch: Partial<ClientView> = {}): ClientView {
  return {
    client_id: clientId,
    name: clientId,
    app_type: 'regular_web',
    is_first_party: true,
    client_secret: undefined,
    token_endpoint_auth_method: null,
    private_key_jwt: true,
    callbacks: ['https://app.example.com/callback'],
    allowed_logout_urls: [],
    allowed_origins: [],
    web_origins: [],
    grant_types: ['authorization_code', 'client_credentials'],
    id_token_alg: 'RS256',
    id_token_lifetime_seconds: 36000,
    signed_request_object: { required: false },
    require_pushed_authorization_requests: false,
    compliance_level: null,
    require_proof_of_possession: false,
    is_management_client: false,
    ...patch,
  };
}

/** A credential record around a test key. */
export function credential(id: string, clientId: string, key: TestKey, patch: Partial<Omit<CredentialView, 'publicKey'>> = {}): CredentialView {
  return { id, client_id: clientId, kid: key.thumbprint, alg: 'RS256', name: id, expires_at: null, publicKey: key.publicKey, ...patch };
}

/** An in-test directory: clients and their slot credentials. */
export function directory(clients: ClientView[], slots: Record<string, Partial<Record<CredentialSlot, CredentialView[]>>>): ClientDirectory {
  return {
    getClient: (id) => clients.find((c) => c.client_id === id),
    slotCredentials: (id, slot) => slots[id]?.[slot] ?? [],
    grantedScopes: () => undefined,
  };
}

/** The server context slice the checks read, with mutable settings. */
export function serverContext(
  dir: ClientDirectory,
  settings: Partial<ServerSettings> = {},
): JwtCheckContext & { current: Pick<ServerSettings, 'profile' | 'jarReplayCheck' | 'clockOffsetSeconds'> } {
  const current = { profile: 'auth0' as const, jarReplayCheck: false, clockOffsetSeconds: 0, ...settings };
  return { urls: { issuer: ISSUER, token: TOKEN_URL, par: PAR_URL }, settings: () => current, directory: dir, memory: new MemoryStores(), current };
}

/** A new trace for an endpoint. */
export function newTrace(endpoint: string): TraceRecorder {
  return new TraceRecorder('POST', endpoint, `/${endpoint}`);
}

/** Signs a payload with a private key and any protected header (jose refuses nothing we need here). */
export async function sign(header: Record<string, unknown> & { alg: string }, payload: Record<string, unknown>, key: TestKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key.privateKey);
}

/** base64url of JSON. */
export function b64json(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

/** An unsigned token: header.payload. with an empty signature. */
export function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${b64json(header)}.${b64json(payload)}.`;
}

/** an HS256 token whose HMAC secret is the client's public key PEM. */
export function hmacWithPublicKey(header: Record<string, unknown>, payload: Record<string, unknown>, pem: string): string {
  const input = `${b64json({ alg: 'HS256', ...header })}.${b64json(payload)}`;
  return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
}

/** Replaces the header of a signed token (keeping its payload and signature). */
export function withHeader(token: string, header: Record<string, unknown>): string {
  const [, payload, signature] = token.split('.');
  return `${b64json(header)}.${payload}.${signature}`;
}

/** What a rejection must look like on the wire and in the trace. */
export interface Rejection {
  status: number;
  error: string;
  description: string;
  rule: string;
  /** Matched against the failing outcome's message (the detail the wire does not carry). */
  message?: RegExp;
}

/** Asserts that `promise` rejects with the OAuthError and that the trace recorded `rule` as the failure. */
export async function expectRejection(promise: Promise<unknown>, trace: TraceRecorder, expected: Rejection): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  const e = error as OAuthError;
  expect({ status: e.status, error: e.error, description: e.description, ruleId: e.ruleId }).toEqual({
    status: expected.status,
    error: expected.error,
    description: expected.description,
    ruleId: expected.rule,
  });
  expect(trace.failedRule).toBe(expected.rule);
  const failed = trace.rules.filter((r) => !r.passed);
  expect(failed).toHaveLength(1);
  expect(failed[0]?.id).toBe(expected.rule);
  if (expected.message) expect(failed[0]?.message).toMatch(expected.message);
}
