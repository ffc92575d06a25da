// The start-time reference of `npm run bench` (bench/startup.ts): oidc-provider, started the way
// parley-server is (plain `node`, one file of ours, a fresh RSA-2048 signing key, one client, 127.0.0.1
// port 0), printing one JSON line once it listens. Plain JavaScript so that no TypeScript loader is timed.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'start', use: 'sig', alg: 'RS256' }] },
    clients: [{ client_id: 'start', client_secret: 'start-secret-start-secret-start-secret', redirect_uris: ['https://app.example.com/callback'] }],
    features: { pushedAuthorizationRequests: { enabled: true }, requestObjects: { enabled: true } },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
