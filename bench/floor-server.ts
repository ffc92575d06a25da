/**
 * The floor: the least any Node server can do for PAR + JAR + private_key_jwt on this machine. Fastify with
 * @fastify/formbody (as Parley), one route, and per request only the two RSA-2048 signature checks
 * (the client assertion and the request object) with cached KeyObjects, then a 201 with a request_uri.
 * No claim checks, no replay cache, no trace. Not a server anyone should use: a reference that says how
 * much of a request's cost is HTTP and crypto, measured in the same run as the others.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { send, serve } from './child';

function checks(token: unknown, key: KeyObject | undefined): boolean {
  if (typeof token !== 'string' || !key) return false;
  const dot = token.lastIndexOf('.');
  if (dot < 0) return false;
  return verify('sha256', Buffer.from(token.slice(0, dot)), key, Buffer.from(token.slice(dot + 1), 'base64url'));
}

async function main(): Promise<void> {
  let pkj: KeyObject | undefined;
  let jar: KeyObject | undefined;
  const app = Fastify({ logger: false });
  await app.register(formbody);
  app.post('/oauth/par', async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    if (!checks(body.client_assertion, pkj) || !checks(body.request, jar)) return reply.code(401).send({ error: 'invalid_client' });
    return reply.code(201).send({ request_uri: `urn:ietf:params:oauth:request_uri:${randomBytes(16).toString('base64url')}`, expires_in: 30 });
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  serve({
    async setup(raw) {
      const p = raw as { pkjPem: string; jarPem: string };
      pkj = createPublicKey(p.pkjPem);
      jar = createPublicKey(p.jarPem);
      return null;
    },
    async stop() {
      await app.close();
    },
  });
  send({ type: 'ready', issuer: `${address}/`, pid: process.pid });
}

main().catch((e: unknown) => {
  console.error('[bench] the floor server failed to start:', e);
  process.exit(1);
});
