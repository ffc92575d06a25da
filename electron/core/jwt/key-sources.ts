/**
 * Turning a verification key source (vault key, pasted text, the embedded server, a client's credentials,
 * a JWKS URL, an issuer) into candidate public keys. Every key the source holds becomes a candidate, usable
 * or not, so the verdict can list all of them; only public material is ever kept.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import { calculateJwkThumbprint } from 'jose';
import type { KeyDetail } from '../../../shared/schemas/keys';
import type { VerifyKeySource } from '../../../shared/schemas/jwt';
import type { CredentialSlot, CredentialView } from '../server/state/types';
import { parseCertificate } from '../vault/certificate';
import type { Fetcher } from './fetch-json';
import { FetchJsonError, fetchJson } from './fetch-json';

/** One key a source holds, before it is tried against a token. */
export interface KeyCandidate {
  label: string;
  kid: string | null;
  /** The alg the key is bound to (a JWK's `alg`, a credential's alg), which the token's must equal. */
  alg: string | null;
  thumbprint: string;
  /** The public key, or null when the entry cannot verify anything (`problem` says why). */
  key: KeyObject | null;
  problem: string | null;
}

/** The keys of a source, or why there are none to try. */
export type SourceKeys =
  { ok: true; keys: KeyCandidate[]; description: string } | { ok: false; failure: 'source-invalid' | 'fetch-failed'; message: string; description: string };

/** What the key sources read from: the vault, the embedded server, the network. */
export interface KeySourceDeps {
  vault: { get(id: string): KeyDetail };
  server: {
    readonly running: { readonly urls: { jwks: string }; readonly ctx: { readonly keys: { jwks(): { keys: JWK[] } } } } | null;
    readonly directory: {
      getClient(clientId: string): unknown;
      slotCredentials(clientId: string, slot: CredentialSlot): CredentialView[];
    };
  };
  fetch: Fetcher;
  /** Per remote request; default 5 s. */
  timeoutMs?: number;
  /** Per remote document; default 1 MB. */
  maxBytes?: number;
}

const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'] };
const SLOT_LABELS: Record<CredentialSlot, string> = { private_key_jwt: 'Private Key JWT', signed_request_object: 'JAR' };

/** Loads the candidate keys of a source. Vault errors (locked, unknown key) propagate as ParleyErrors. */
export async function loadSourceKeys(source: VerifyKeySource, deps: KeySourceDeps): Promise<SourceKeys> {
  switch (source.kind) {
    case 'vault':
      return vaultKeys(deps.vault.get(source.keyId));
    case 'text':
      return textKeys(source.text);
    case 'server': {
      const running = deps.server.running;
      const description = "the embedded server's JWKS";
      if (!running)
        return { ok: false, failure: 'source-invalid', message: 'The embedded server is not running, so it has no JWKS to verify with.', description };
      return { ok: true, keys: await jwkCandidates(running.ctx.keys.jwks().keys, 'server key'), description: `${description} (${running.urls.jwks})` };
    }
    case 'serverCredentials':
      return credentialKeys(source.clientId, deps);
    case 'jwksUrl':
      return remoteKeys(source.url, deps);
    case 'issuer':
      return issuerKeys(source.issuer, deps);
  }
}

async function thumbprintOf(key: KeyObject): Promise<string> {
  return calculateJwkThumbprint(key.export({ format: 'jwk' }) as JWK, 'sha256');
}

async function publicCandidate(key: KeyObject, label: string, kid: string | null, alg: string | null): Promise<KeyCandidate> {
  return { label, kid, alg, thumbprint: await thumbprintOf(key), key, problem: null };
}

async function vaultKeys(detail: KeyDetail): Promise<SourceKeys> {
  // The vault publishes kid = thumbprint (Auth0's convention). Its JWK's `alg` is only the first of the key's
  // algs (RS256 for RSA), so it is not used as a constraint: the key-type fit allows exactly the key's algs.
  const key = createPublicKey(detail.publicPem);
  const candidate: KeyCandidate = {
    label: detail.name,
    kid: detail.publicJwk.kid ?? detail.thumbprint,
    alg: null,
    thumbprint: detail.thumbprint,
    key,
    problem: null,
  };
  return { ok: true, keys: [candidate], description: `vault key ${detail.name}` };
}

/** One JWK (public or private; only public members are read) as a candidate. */
async function jwkCandidate(jwk: unknown, fallbackLabel: string): Promise<KeyCandidate> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    return { label: fallbackLabel, kid: null, alg: null, thumbprint: '', key: null, problem: 'the entry is not a JSON object' };
  }
  const record = jwk as Record<string, unknown>;
  const kid = typeof record['kid'] === 'string' ? record['kid'] : null;
  const alg = typeof record['alg'] === 'string' ? record['alg'] : null;
  const label = kid === null ? fallbackLabel : `kid ${kid}`;
  const kty = record['kty'];
  const unusable = async (problem: string): Promise<KeyCandidate> => {
    let thumbprint = '';
    try {
      thumbprint = await calculateJwkThumbprint(record as JWK, 'sha256');
    } catch {
      // A JWK without its required members has no thumbprint; the candidate is still listed.
    }
    return { label, kid, alg, thumbprint, key: null, problem };
  };
  if (kty === 'oct') return unusable('it is a symmetric (oct) key; only RSA and EC public keys verify signatures here');
  const members = typeof kty === 'string' ? PUBLIC_MEMBERS[kty] : undefined;
  if (!members) return unusable(`its kty ${JSON.stringify(kty ?? null)} is not RSA or EC`);
  if (record['use'] !== undefined && record['use'] !== 'sig') return unusable(`its use is ${JSON.stringify(record['use'])}, not "sig"`);
  // Private members (d, p, q…) are dropped before import, so a pasted private JWK never becomes a private key here.
  const publicJwk = Object.fromEntries(members.filter((m) => record[m] !== undefined).map((m) => [m, record[m]]));
  let key: KeyObject;
  try {
    key = createPublicKey({ key: publicJwk as JWK & { kty: string }, format: 'jwk' });
  } catch (cause) {
    return unusable(`it is not a valid ${kty} public key (${cause instanceof Error ? cause.message : 'rejected'})`);
  }
  return publicCandidate(key, label, kid, alg);
}

async function jwkCandidates(keys: readonly unknown[], labelPrefix: string): Promise<KeyCandidate[]> {
  return Promise.all(keys.map((jwk, i) => jwkCandidate(jwk, `${labelPrefix} #${i + 1}`)));
}

/** A JWKS document's candidates, or a sentence saying why it is not one. */
async function jwksDocument(doc: unknown, labelPrefix: string): Promise<KeyCandidate[] | string> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'it is not a JSON object';
  const keys = (doc as Record<string, unknown>)['keys'];
  if (!Array.isArray(keys)) return 'it has no "keys" array';
  return jwkCandidates(keys, labelPrefix);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

async function textKeys(text: string): Promise<SourceKeys> {
  const trimmed = text.trim();
  const invalid = (message: string): SourceKeys => ({ ok: false, failure: 'source-invalid', message, description: 'pasted text' });
  if (trimmed.startsWith('-----BEGIN')) {
    const blocks = [...trimmed.matchAll(PEM_BLOCK)];
    if (blocks.length === 0) return invalid('The pasted PEM has no matching -----END----- line.');
    const keys: KeyCandidate[] = [];
    for (const [i, block] of blocks.entries()) {
      const [pem, label] = block as unknown as [string, string];
      const n = blocks.length > 1 ? ` #${i + 1}` : '';
      if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
        let key: KeyObject;
        try {
          key = createPublicKey(pem);
        } catch (cause) {
          return invalid(`The pasted ${label} could not be read (${cause instanceof Error ? cause.message : 'invalid'}).`);
        }
        keys.push(await publicCandidate(key, `pasted public key${n}`, null, null));
      } else if (label === 'CERTIFICATE') {
        const der = Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64');
        try {
          const cert = await parseCertificate(der);
          keys.push(await publicCandidate(cert.publicKey, `certificate ${cert.commonName ?? cert.info.subject}${n}`, null, null));
        } catch (cause) {
          return invalid(`The pasted certificate could not be read (${cause instanceof Error ? cause.message : 'invalid'}).`);
        }
      } else if (label.includes('PRIVATE KEY')) {
        // A private key has no business in a verification box; asking for the public half avoids holding it.
        return invalid(`The pasted PEM is a ${label}; paste the public key or certificate instead.`);
      } else {
        return invalid(`The pasted PEM is a ${label}; paste a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE.`);
      }
    }
    return { ok: true, keys, description: 'pasted text' };
  }
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (cause) {
      return invalid(`The pasted text is not valid JSON (${cause instanceof Error ? cause.message : 'parse error'}).`);
    }
    const record = doc as Record<string, unknown>;
    if ('keys' in record) {
      const keys = await jwksDocument(doc, 'JWKS key');
      if (typeof keys === 'string') return invalid(`The pasted JWKS is not valid: ${keys}.`);
      return { ok: true, keys, description: 'pasted JWKS' };
    }
    if ('kty' in record) {
      const candidate = await jwkCandidate(doc, 'pasted JWK');
      if (candidate.key === null) return invalid(`The pasted JWK cannot verify a signature: ${candidate.problem ?? 'unusable'}.`);
      return { ok: true, keys: [candidate], description: 'pasted JWK' };
    }
    return invalid('The pasted JSON is neither a JWK (no "kty") nor a JWKS (no "keys" array).');
  }
  return invalid('The pasted text is neither PEM (-----BEGIN …) nor JSON (a JWK or a JWKS).');
}

async function credentialKeys(clientId: string, deps: KeySourceDeps): Promise<SourceKeys> {
  const description = `credentials of client ${clientId} on the embedded server`;
  if (!deps.server.directory.getClient(clientId)) {
    return { ok: false, failure: 'source-invalid', message: `The embedded server has no client with client_id ${clientId}.`, description };
  }
  // A credential attached to both slots is one key; it is listed once, naming both slots.
  const seen = new Map<string, { credential: CredentialView; slots: string[] }>();
  for (const slot of ['private_key_jwt', 'signed_request_object'] as const) {
    for (const credential of deps.server.directory.slotCredentials(clientId, slot)) {
      const entry = seen.get(credential.id) ?? { credential, slots: [] };
      entry.slots.push(SLOT_LABELS[slot]);
      seen.set(credential.id, entry);
    }
  }
  const keys = await Promise.all(
    [...seen.values()].map(({ credential, slots }) =>
      publicCandidate(credential.publicKey, `credential ${credential.name} (${slots.join(', ')})`, credential.kid, credential.alg),
    ),
  );
  return { ok: true, keys, description };
}

async function remoteKeys(url: string, deps: KeySourceDeps, from?: string): Promise<SourceKeys> {
  const description = from ? `${url} (jwks_uri of ${from})` : url;
  let doc: unknown;
  try {
    doc = await fetchJson(url, fetchOptions(deps));
  } catch (e) {
    if (e instanceof FetchJsonError) return { ok: false, failure: 'fetch-failed', message: `The JWKS could not be fetched: ${e.message}`, description };
    throw e;
  }
  const keys = await jwksDocument(doc, 'JWKS key');
  if (typeof keys === 'string') return { ok: false, failure: 'source-invalid', message: `The document at ${url} is not a JWKS: ${keys}.`, description };
  return { ok: true, keys, description };
}

async function issuerKeys(issuer: string, deps: KeySourceDeps): Promise<SourceKeys> {
  // Issuers are written with or without the trailing slash (Auth0's has one); discovery is under the issuer path.
  const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const failed = (message: string): SourceKeys => ({ ok: false, failure: 'fetch-failed', message, description: discoveryUrl });
  let doc: unknown;
  try {
    doc = await fetchJson(discoveryUrl, fetchOptions(deps));
  } catch (e) {
    if (e instanceof FetchJsonError) return failed(`The discovery document could not be fetched: ${e.message}`);
    throw e;
  }
  const jwksUri = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['jwks_uri'] : undefined;
  if (typeof jwksUri !== 'string' || jwksUri === '') return failed(`The discovery document at ${discoveryUrl} has no jwks_uri.`);
  return remoteKeys(jwksUri, deps, issuer);
}

function fetchOptions(deps: KeySourceDeps): { fetch: Fetcher; timeoutMs?: number; maxBytes?: number } {
  return {
    fetch: deps.fetch,
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    ...(deps.maxBytes === undefined ? {} : { maxBytes: deps.maxBytes }),
  };
}
