/**
 * The benchmark's reference: oidc-provider (panva, v9, OpenID Certified) configured like the Parley
 * scenarios need, in its own process: PAR, request objects, private_key_jwt and client_secret_post,
 * RS256 with an RSA-2048 signing key, PKCE S256, JWT access tokens (resource indicators: one API, like
 * Parley's JWT access tokens, so both sign an access token and an ID token per code exchange), on
 * 127.0.0.1 over node:http.
 *
 * Storage: oidc-provider's bundled MemoryAdapter is a development LRU of 1,000 entries, which would evict
 * pre-minted codes and replay-detection entries under load; this server uses a plain Map adapter with
 * expiry instead (one Map lookup per find, no LRU bookkeeping), which can only make oidc-provider faster.
 *
 * `mint` pre-mints authorization codes with oidc-provider's own models (Grant + AuthorizationCode), as its
 * interaction flow would save them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
// @ts-expect-error -- oidc-provider v9 ships no type declarations; the little used here is typed below.
import OidcProvider from 'oidc-provider';
import { send, serve } from './child';

/** What the parent asks for. */
export interface OidcSetup {
  callback: string;
  api: string;
  apiScope: string;
  /** Public JWKs (with kid) of the private_key_jwt and request-object keys. */
  pkjJwk: JWK;
  jarJwk: JWK;
  /** The provider's own signing key (private JWK, RSA-2048). */
  signingJwk: JWK;
  secret: string;
}

/** What minting needs. */
export interface OidcMint {
  count: number;
  codeChallenge: string;
}

interface StoredEntry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/** A Map adapter with expiry; `revokeByGrantId` is supported through a per-grant set of keys. */
const storage = new Map<string, StoredEntry>();
const grantMembers = new Map<string, Set<string>>();

class MapAdapter {
  constructor(readonly model: string) {}

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    const key = this.#key(id);
    storage.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity });
    const grantId = payload.grantId;
    if (typeof grantId === 'string') {
      let members = grantMembers.get(grantId);
      if (!members) grantMembers.set(grantId, (members = new Set()));
      members.add(key);
    }
    if (this.model === 'Session' && typeof payload.uid === 'string') storage.set(`sessionUid:${payload.uid}`, { payload: { id }, expiresAt: Infinity });
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const entry = storage.get(this.#key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      storage.delete(this.#key(id));
      return undefined;
    }
    return entry.payload;
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const id = storage.get(`sessionUid:${uid}`)?.payload.id;
    return typeof id === 'string' ? this.find(id) : undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = storage.get(this.#key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    storage.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of grantMembers.get(grantId) ?? []) storage.delete(key);
    grantMembers.delete(grantId);
  }
}

// Expired entries are dropped every 5 s, so a long run does not keep what it no longer needs.
setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of storage) if (entry.expiresAt <= now) storage.delete(key);
}, 5000).unref();

interface Provider {
  callback(): (req: unknown, res: unknown) => void;
  Grant: new (init: Record<string, unknown>) => {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  };
  AuthorizationCode: new (init: Record<string, unknown>) => { save(): Promise<string> };
  Client: { find(id: string): Promise<unknown> };
}
const ProviderClass = OidcProvider as new (issuer: string, configuration: Record<string, unknown>) => Provider;

const PKJ_CLIENT = 'bench-pkj';
const SECRET_CLIENT = 'bench-secret';
const ACCOUNT = 'bench-user';

async function main(): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let provider: Provider | undefined;
  let setup: OidcSetup | undefined;

  serve({
    async setup(raw) {
      const p = raw as OidcSetup;
      setup = p;
      provider = new ProviderClass(issuer, {
        adapter: MapAdapter,
        clients: [
          {
            client_id: PKJ_CLIENT,
            redirect_uris: [p.callback],
            response_types: ['code'],
            grant_types: ['authorization_code', 'client_credentials'],
            token_endpoint_auth_method: 'private_key_jwt',
            token_endpoint_auth_signing_alg: 'RS256',
            request_object_signing_alg: 'RS256',
            jwks: { keys: [p.pkjJwk, p.jarJwk] },
          },
          {
            client_id: SECRET_CLIENT,
            client_secret: p.secret,
            redirect_uris: [p.callback],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        jwks: { keys: [p.signingJwk] },
        cookies: { keys: ['parley benchmark cookie key, not a secret'] },
        clientAuthMethods: ['private_key_jwt', 'client_secret_post'],
        features: {
          devInteractions: { enabled: false },
          pushedAuthorizationRequests: { enabled: true },
          requestObjects: { enabled: true },
          clientCredentials: { enabled: true },
          // RFC 9449 for the DPoP scenario: proofs validated and tokens bound; no nonces (Parley asks none of a
          // confidential client either), ES256 as the proof alg.
          dPoP: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? p.api,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({
              scope: p.apiScope,
              audience: p.api,
              accessTokenTTL: 86_400,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            }),
          },
        },
        pkce: { required: () => true },
        ttl: {
          AccessToken: 86_400,
          AuthorizationCode: 600,
          ClientCredentials: 86_400,
          Grant: 86_400,
          IdToken: 36_000,
          Interaction: 600,
          PushedAuthorizationRequest: 30,
          Session: 86_400,
        },
        claims: { openid: ['sub'] },
        findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
      });
      server.on('request', provider.callback());
      return { pkj: { client_id: PKJ_CLIENT }, secret: { client_id: SECRET_CLIENT, client_secret: p.secret } };
    },
    async mint(raw) {
      if (!provider || !setup) throw new Error('mint before setup');
      const { count, codeChallenge } = raw as OidcMint;
      const client = await provider.Client.find(PKJ_CLIENT);
      const grant = new provider.Grant({ accountId: ACCOUNT, clientId: PKJ_CLIENT });
      grant.addOIDCScope('openid');
      grant.addResourceScope(setup.api, setup.apiScope);
      const grantId = await grant.save();
      const authTime = Math.floor(Date.now() / 1000);
      const codes: string[] = [];
      for (let i = 0; i < count; i++) {
        const code = new provider.AuthorizationCode({
          accountId: ACCOUNT,
          authTime,
          client,
          grantId,
          redirectUri: setup.callback,
          scope: `openid ${setup.apiScope}`,
          resource: setup.api,
          codeChallenge,
          codeChallengeMethod: 'S256',
          expiresWithSession: false,
        });
        codes.push(await code.save());
      }
      return codes;
    },
    sizes: () => ({ adapterEntries: storage.size }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  send({ type: 'ready', issuer, pid: process.pid });
}

main().catch((e: unknown) => {
  console.error('[bench] oidc-provider failed to start:', e);
  process.exit(1);
});
