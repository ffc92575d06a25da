import { describe, expect, it } from 'vitest';
import { jwkThumbprint } from '../../../../../electron/core/vault/thumbprint';
import { unlockedVault } from './helpers';

const RFC7638_N =
  '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

describe('RFC 7638 JWK thumbprint', () => {
  it('computes the §3.1 example thumbprint', async () => {
    await expect(jwkThumbprint({ kty: 'RSA', n: RFC7638_N, e: 'AQAB' })).resolves.toBe(RFC7638_THUMBPRINT);
  });

  it('gives an imported key the §3.1 thumbprint, ignoring non-required members such as kid and alg', async () => {
    const { vault } = await unlockedVault();
    const text = JSON.stringify({ kty: 'RSA', n: RFC7638_N, e: 'AQAB', alg: 'RS256', kid: '2011-04-29' });
    const { key } = await vault.importKey({ text });
    expect(key).toMatchObject({ thumbprint: RFC7638_THUMBPRINT, name: '2011-04-29', size: 2048 });
    expect(vault.get(key.id).publicJwk.kid).toBe(RFC7638_THUMBPRINT);
  });
});
