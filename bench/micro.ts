/**
 * `npx tsx bench/micro.ts`: the per-operation costs behind docs/performance.md, in one process, each
 * measured after a warm-up: RSA-2048 verify and sign through jose (WebCrypto) and through node:crypto with
 * a KeyObject, a random trace id against the counter id, JWT decoding (and its duplicate-member check),
 * and the two JWT check pipelines of the real server (client assertion, request object) with their traces.
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, compactVerify } from 'jose';
import { startAuthServer } from '../electron/core/server/app';
import { verifyClientAssertion } from '../electron/core/server/checks/client-assertion';
import { verifyRequestObject } from '../electron/core/server/checks/request-object';
import { TraceRecorder, nextTraceId } from '../electron/core/server/trace';
import { confStoreFactory } from '../electron/core/store/document-store';
import { decodeCompactJwt } from '../shared/jwt/decode';
import { findDuplicateMember } from '../shared/jwt/duplicate-members';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function time(name: string, n: number, op: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < Math.min(n, 2000); i++) await op(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  console.log(`${name.padEnd(52)} ${(((performance.now() - start) * 1000) / n).toFixed(2).padStart(8)} µs`);
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function jws(key: KeyObject, header: object, payload: object): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

async function main(): Promise<void> {
  const pkj = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jar = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);

  const token = jws(
    pkj.privateKey,
    { alg: 'RS256', typ: 'JWT' },
    { iss: 'c'.repeat(32), sub: 'c'.repeat(32), aud: 'http://127.0.0.1:4747/', iat: now, exp: now + 280, jti: 'j-1' },
  );
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot), 'latin1');
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  console.log('RSA-2048, one operation');
  await time('verify: jose compactVerify (KeyObject, WebCrypto)', 20_000, () => compactVerify(token, pkj.publicKey, { algorithms: ['RS256'] }));
  await time('verify: node:crypto verify (KeyObject)', 20_000, () => verify('sha256', input, pkj.publicKey, signature));
  await time('sign: jose SignJWT', 2000, () =>
    new SignJWT({ sub: 'x', iat: now }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k' }).sign(pkj.privateKey),
  );
  await time('sign: node:crypto sign (KeyObject)', 2000, () => sign('sha256', input, pkj.privateKey));

  console.log('\nPer request');
  await time('trace id: randomBytes(16).toString(base64url)', 200_000, () => randomBytes(16).toString('base64url'));
  await time('trace id: prefix + counter (nextTraceId)', 200_000, () => nextTraceId());

  const dir = mkdtempSync(join(tmpdir(), 'parley-micro-'));
  const server = await startAuthServer({ store: confStoreFactory(dir), notices: [], port: 0, log: () => {} });
  try {
    const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
    const created = (await server.ctx.directory.createClient({
      name: 'micro',
      app_type: 'regular_web',
      callbacks: ['https://app.example.com/cb'],
      grant_types: ['authorization_code'],
      client_authentication_methods: {
        private_key_jwt: { credentials: [{ name: 'pkj', credential_type: 'public_key', pem: pem(pkj.publicKey), alg: 'RS256' }] },
      },
      signed_request_object: { credentials: [{ name: 'jar', credential_type: 'public_key', pem: pem(jar.publicKey), alg: 'RS256' }] },
    })) as unknown as { client_id: string };
    const id = created.client_id;
    const client = server.ctx.directory.getClient(id)!;
    const kid = (slot: 'private_key_jwt' | 'signed_request_object') => server.ctx.directory.slotCredentials(id, slot)[0]!.kid;
    const issuer = server.urls.issuer;
    const n = 6000;
    const assertions = Array.from({ length: n + 2000 }, (_, i) =>
      jws(pkj.privateKey, { alg: 'RS256', typ: 'JWT', kid: kid('private_key_jwt') }, { iss: id, sub: id, aud: issuer, iat: now, exp: now + 280, jti: `a${i}` }),
    );
    const requests = Array.from({ length: n + 2000 }, (_, i) =>
      jws(
        jar.privateKey,
        { alg: 'RS256', typ: 'oauth-authz-req+jwt', kid: kid('signed_request_object') },
        {
          iss: id,
          aud: issuer,
          client_id: id,
          response_type: 'code',
          redirect_uri: 'https://app.example.com/cb',
          scope: 'openid',
          state: 's',
          nonce: 'n',
          code_challenge: 'x'.repeat(43),
          code_challenge_method: 'S256',
          iat: now,
          nbf: now,
          exp: now + 280,
          jti: `r${i}`,
        },
      ),
    );
    const payloadText = Buffer.from(requests[0]!.split('.')[1]!, 'base64url').toString();
    await time('decodeCompactJwt (request object)', n, (i) => decodeCompactJwt(requests[i]!, { maxBytes: 10_240 }));
    await time('  of which findDuplicateMember (payload, momoa)', n, () => findDuplicateMember(payloadText));
    await time('  for comparison: JSON.parse (payload)', n, () => JSON.parse(payloadText));
    let a = 0;
    await time('verifyClientAssertion (decode, 22 rules traced, RSA, jti)', n, () =>
      verifyClientAssertion({
        assertion: assertions[a++],
        assertionType: JWT_BEARER,
        clientIdParam: id,
        endpointUrl: server.urls.par,
        ctx: server.ctx,
        trace: new TraceRecorder('POST', 'par', '/oauth/par'),
      }),
    );
    let r = 0;
    await time('verifyRequestObject (decode, rules traced, RSA)', n, () =>
      verifyRequestObject({
        jwt: requests[r++]!,
        client,
        outerParams: { client_id: id },
        endpoint: 'par',
        ctx: server.ctx,
        trace: new TraceRecorder('POST', 'par', '/oauth/par'),
      }),
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
