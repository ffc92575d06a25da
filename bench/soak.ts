/**
 * The memory soak: a long mixed stream of valid, replayed and garbage requests against Parley, to show
 * that what the server keeps stays bounded (docs/bounds.md): server RSS after the soak must stay within
 * 50 MB of RSS after a warm-up of the same mix.
 *
 * Per block of 20 requests: 3 PAR + private_key_jwt, 1 PAR + JAR + private_key_jwt, 6 PAR +
 * client_secret_post, 1 client-credentials token (all valid, all unique); 3 replays of an earlier
 * valid assertion; 6 garbage requests of rotating kinds (forged signatures on otherwise valid
 * assertions, random assertions from unknown clients, unknown secret clients, wrong content types,
 * 9 KB redirect URIs, unknown paths, unknown codes, junk grant types, repeated parameters). Every request's
 * expected status is known, so the run checks the server answered each kind as it should.
 */
import { randomBytes } from 'node:crypto';
import type { PooledRequest } from './load';
import type { BuildEnv, Target } from './scenarios';
import { API, API_SCOPE, authorizationParameters, assertions, requestObjects } from './scenarios';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A soak pool and what each status should count. */
export interface SoakPool {
  requests: PooledRequest[];
  expected: Record<string, number>;
  kinds: Record<string, number>;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function junk(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Builds `n` soak requests (a multiple of 20 is best). */
export async function buildSoak(target: Target, n: number, env: BuildEnv): Promise<SoakPool> {
  const blocks = Math.ceil(n / 20);
  const [pkj, jarAuth, jar, cc] = await Promise.all([
    assertions(target, blocks * 3, env),
    assertions(target, blocks, env),
    requestObjects(target, blocks, env),
    assertions(target, blocks, env),
  ]);
  const requests: PooledRequest[] = [];
  const expected: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  const add = (kind: string, status: number, request: PooledRequest) => {
    requests.push(request);
    expected[status] = (expected[status] ?? 0) + 1;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  };
  const par = target.parPath;
  const token = target.tokenPath;
  const clientId = target.pkj.client_id;
  const pkjBodies: string[] = [];
  let garbage = 0;

  for (let b = 0; b < blocks && requests.length < n; b++) {
    for (let k = 0; k < 3; k++) {
      const body = form({
        ...authorizationParameters(clientId, env.codeChallenge, b),
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: pkj[b * 3 + k]!,
      });
      pkjBodies.push(body);
      add('valid PAR + private_key_jwt', 201, { path: par, body });
    }
    add('valid PAR + JAR + private_key_jwt', 201, {
      path: par,
      body: form({ client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: jarAuth[b]!, request: jar[b]! }),
    });
    for (let k = 0; k < 6; k++) {
      add('valid PAR + client_secret_post', 201, {
        path: par,
        body: form({ ...authorizationParameters(target.secret.client_id, env.codeChallenge, b * 6 + k), client_secret: target.secret.client_secret }),
      });
    }
    add('valid client credentials', 200, {
      path: token,
      body: form({
        grant_type: 'client_credentials',
        audience: API,
        scope: API_SCOPE,
        client_id: clientId,
        client_assertion_type: JWT_BEARER,
        client_assertion: cc[b]!,
      }),
    });
    // Replays: an assertion sent about 200 requests earlier (PKJ-12: 401 invalid_client).
    for (let k = 0; k < 3; k++) {
      const earlier = pkjBodies[pkjBodies.length - 31 - k * 3];
      if (earlier !== undefined) add('replayed assertion', 401, { path: par, body: earlier });
      else
        add('unknown client secret', 401, {
          path: par,
          body: form({ ...authorizationParameters(`nobody-${junk(8)}`, env.codeChallenge, b), client_secret: junk(16) }),
        });
    }
    for (let k = 0; k < 6; k++) {
      const kind = garbage++ % 10;
      switch (kind) {
        case 0: {
          // A forged signature on an assertion that is sent validly later: it must not burn its jti.
          const later = pkj[Math.min(pkj.length - 1, b * 3 + 30 + k)]!;
          const forged = `${later.slice(0, -8)}${later.endsWith('AAAAAAAA') ? 'BBBBBBBB' : 'AAAAAAAA'}`;
          add('forged signature', 401, {
            path: par,
            body: form({
              ...authorizationParameters(clientId, env.codeChallenge, b),
              client_id: clientId,
              client_assertion_type: JWT_BEARER,
              client_assertion: forged,
            }),
          });
          break;
        }
        case 1:
          add('random assertion, unknown client', 401, {
            path: par,
            body: form({ client_id: `c-${junk(12)}`, client_assertion_type: JWT_BEARER, client_assertion: `${junk(20)}.${junk(60)}.${junk(40)}` }),
          });
          break;
        case 2:
          add('unknown client secret', 401, {
            path: par,
            body: form({ ...authorizationParameters(`nobody-${junk(8)}`, env.codeChallenge, b), client_secret: junk(16) }),
          });
          break;
        case 3:
          add('JSON body at PAR', 400, { path: par, body: JSON.stringify({ client_id: clientId, junk: junk(40) }), contentType: 'application/json' });
          break;
        case 4:
          // A 9 KB redirect_uri (under PAR's 10 KB limit): refused, and echoed in the trace only up to MAX_TRACE_TEXT.
          add('9 KB unregistered redirect_uri', 400, {
            path: par,
            body: form({
              ...authorizationParameters(target.secret.client_id, env.codeChallenge, b),
              redirect_uri: `https://evil.example.com/${junk(6700)}`,
              client_secret: target.secret.client_secret,
            }),
          });
          break;
        case 5:
          add('unknown path', 404, { method: 'GET', path: `/nope/${junk(12)}`, body: '' });
          break;
        case 6:
          add('unknown authorization code', 403, {
            path: token,
            body: form({
              grant_type: 'authorization_code',
              code: junk(32),
              redirect_uri: 'https://bench.example.com/callback',
              client_id: target.secret.client_id,
              client_secret: target.secret.client_secret,
            }),
          });
          break;
        case 7:
          add('junk grant type', 400, { path: token, body: form({ grant_type: junk(10), client_id: junk(10) }) });
          break;
        case 8:
          add('repeated parameter', 400, { path: par, body: `client_id=${clientId}&client_id=${junk(6)}&client_secret=${junk(8)}` });
          break;
        default:
          add('assertion that is not a JWT', 401, {
            path: par,
            body: form({ client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: junk(200) }),
          });
          break;
      }
    }
  }
  return { requests: requests.slice(0, n), expected, kinds };
}
