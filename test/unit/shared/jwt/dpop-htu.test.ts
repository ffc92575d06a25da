/**
 * DPP-9's htu comparison (dpop-rules.md DPP-9, §9 item 4, §11 "htu mismatch"): equal after the RFC 3986
 * normalisation, query and fragment ignored, and on a mismatch the first differing component and its
 * usual cause, as Explain's htu lens shows them.
 */
import { describe, expect, it } from 'vitest';
import { compareHtu, normaliseHtu } from '../../../../shared/jwt/dpop-htu';

const SERVER = 'https://tenant.example.com/oauth/token';

describe('DPP-9 htu comparison › equal after normalisation', () => {
  it.each([
    ['case of scheme and host', 'HTTPS://Tenant.EXAMPLE.com/oauth/token'],
    ['an explicit default port', 'https://tenant.example.com:443/oauth/token'],
    ['dot segments', 'https://tenant.example.com/a/../oauth/./token'],
    ['an escaped unreserved character', 'https://tenant.example.com/oauth/t%6Fken'],
  ])('%s', (_, htu) => {
    expect(compareHtu(SERVER, htu)).toMatchObject({ equal: true });
  });

  it('a query and a fragment are stripped and reported as ignored, never as the cause', () => {
    expect(compareHtu(SERVER, `${SERVER}?a=1#frag`)).toMatchObject({ equal: true, ignored: ['query', 'fragment'] });
    expect(compareHtu(SERVER, 'https://tenant.example.com:443/oauth/token').ignored).toEqual(['default-port']);
  });

  it('an empty path is /, and other escapes are compared uppercased', () => {
    expect(compareHtu('https://tenant.example.com/', 'https://tenant.example.com')).toMatchObject({ equal: true });
    expect(compareHtu('https://tenant.example.com/a%2Fb', 'https://tenant.example.com/a%2fb')).toMatchObject({ equal: true });
  });
});

describe('DPP-9 htu comparison › which part differs, and why', () => {
  it.each([
    ['http behind a TLS-terminating proxy', 'http://tenant.example.com/oauth/token', 'scheme', 'proxy'],
    ['an internal address', 'https://127.0.0.1/oauth/token', 'host', 'proxy'],
    ['a custom domain against the canonical one', 'https://login.example.org/oauth/token', 'host', 'another-host'],
    ['an internal port', 'https://tenant.example.com:8443/oauth/token', 'port', 'proxy'],
    ['a default port of the other scheme', 'https://tenant.example.com:80/oauth/token', 'port', 'default-port'],
    ['a path prefix of a reverse proxy', 'https://tenant.example.com/auth/oauth/token', 'path', 'path-prefix'],
    ['a trailing slash', 'https://tenant.example.com/oauth/token/', 'trailing-slash', 'trailing-slash'],
    ['the path in another case', 'https://tenant.example.com/OAuth/Token', 'path', 'path-case'],
    ['another endpoint', 'https://tenant.example.com/userinfo', 'path', 'another-endpoint'],
    ['not a URL', '/oauth/token', 'url', 'not-a-url'],
    ['not http(s)', 'ftp://tenant.example.com/oauth/token', 'url', 'not-a-url'],
  ])('%s', (_, htu, differs, cause) => {
    expect(compareHtu(SERVER, htu)).toMatchObject({ equal: false, differs, cause });
  });

  it('a mismatch with a query names the path, and still lists the query as ignored', () => {
    expect(compareHtu(SERVER, 'https://tenant.example.com/oauth/token/?x=1')).toMatchObject({ equal: false, differs: 'trailing-slash', ignored: ['query'] });
  });

  it('gives both sides split into components for the lens', () => {
    const cmp = compareHtu('https://tenant.example.com/oauth/token', 'http://localhost:3000/oauth/token?x');
    expect(cmp.expected).toMatchObject({ scheme: 'https', host: 'tenant.example.com', port: '', path: '/oauth/token' });
    expect(cmp.actual).toMatchObject({
      scheme: 'http',
      host: 'localhost',
      port: '3000',
      path: '/oauth/token',
      query: '?x',
      normalised: 'http://localhost:3000/oauth/token',
    });
  });

  it('normaliseHtu refuses what is not an absolute http(s) URL', () => {
    expect(normaliseHtu('not a url')).toBeUndefined();
    expect(normaliseHtu('javascript:alert(1)')).toBeUndefined();
  });
});
