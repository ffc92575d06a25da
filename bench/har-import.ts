/**
 * HAR import of a large file (issue #19: "HAR files of 50 MB open without freezing the screen"): the time
 * of the one JSON.parse, of the whole import, and the longest stretch between two progress reports of
 * `importHarSteps` (what a Web Worker driving it would be busy for before it can post progress or read a
 * cancel). Alone: `npx tsx bench/har-import.ts [--mb 50] [--chunk 200]`. Not part of `npm run bench` yet.
 *
 * The file is made here: page loads (scripts, images as base64 text) around real-shaped OAuth exchanges
 * (discovery, PAR with a client assertion and a request object, token), so most of its size is what a
 * customer's capture holds: everything but the sign-in.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { readHarLog } from '../shared/har/har';
import { importHarSteps } from '../shared/har/import';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' }, chunk: { type: 'string', default: '200' } } });
const TARGET_BYTES = Number(values.mb) * 1024 * 1024;
const CHUNK = Number(values.chunk);
const ISSUER = 'https://tenant.example.com/';

function entry(method: string, url: string, body: string | undefined, response: string, mime: string) {
  return {
    startedDateTime: new Date().toISOString(),
    time: 10,
    request: {
      method,
      url,
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [{ name: 'user-agent', value: 'bench' }],
      queryString: [],
      ...(body === undefined ? {} : { postData: { mimeType: 'application/x-www-form-urlencoded', text: body } }),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [{ name: 'content-type', value: mime }],
      content: { size: response.length, mimeType: mime, text: response },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

async function makeHar(): Promise<{ text: string; oauth: number }> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const entries: unknown[] = [
    entry(
      'GET',
      `${ISSUER}.well-known/openid-configuration`,
      undefined,
      JSON.stringify({ issuer: ISSUER, token_endpoint: `${ISSUER}oauth/token` }),
      'application/json',
    ),
  ];
  let size = 0;
  let oauth = 1;
  const asset = randomBytes(48 * 1024).toString('base64');
  for (let i = 0; size < TARGET_BYTES; i++) {
    if (i % 50 === 0) {
      const assertion = await new SignJWT({ iss: 'app', sub: 'app', aud: ISSUER, iat: now, exp: now + 60, jti: String(i) })
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      const request = await new SignJWT({
        iss: 'app',
        aud: ISSUER,
        client_id: 'app',
        response_type: 'code',
        redirect_uri: 'https://app.example.com/cb',
        scope: 'openid',
        iat: now,
        exp: now + 60,
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'oauth-authz-req+jwt' })
        .sign(privateKey);
      entries.push(
        entry(
          'POST',
          `${ISSUER}oauth/par`,
          new URLSearchParams({
            client_id: 'app',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
            request,
          }).toString(),
          '{"request_uri":"urn:ietf:params:oauth:request_uri:x","expires_in":30}',
          'application/json',
        ),
      );
      entries.push(
        entry(
          'POST',
          `${ISSUER}oauth/token`,
          `grant_type=authorization_code&code=${randomBytes(16).toString('hex')}&client_id=app&client_secret=s`,
          '{"access_token":"a","refresh_token":"r","token_type":"Bearer"}',
          'application/json',
        ),
      );
      oauth += 2;
    }
    const page = entry('GET', `https://app.example.com/assets/${i}.png`, undefined, asset, 'image/png');
    entries.push(page);
    size += asset.length + 600;
  }
  return { text: JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries } }), oauth };
}

const { text, oauth } = await makeHar();
const parseStart = performance.now();
readHarLog(text);
const parseMs = performance.now() - parseStart;

const start = performance.now();
const steps = importHarSteps(text, { chunk: CHUNK });
let last = start;
let longest = 0;
let reports = 0;
let next = steps.next();
while (!next.done) {
  const at = performance.now();
  longest = Math.max(longest, at - last);
  last = at;
  reports++;
  next = steps.next();
}
const totalMs = performance.now() - start;
const firstStretch = reports > 0 ? '(the first includes the JSON.parse)' : '';
console.log(
  `HAR of ${(text.length / 1024 / 1024).toFixed(1)} MB, ${next.value.entries} entries, ${oauth} OAuth exchanges (found ${next.value.exchanges.length}, ${next.value.removed.length} removals)`,
);
console.log(
  `JSON.parse + envelope: ${parseMs.toFixed(0)} ms; whole import: ${totalMs.toFixed(0)} ms; ${reports} progress reports every ${CHUNK} entries; longest stretch between two: ${longest.toFixed(0)} ms ${firstStretch}`,
);
