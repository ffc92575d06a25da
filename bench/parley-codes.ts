/**
 * Authorization codes for Parley's code-exchange scenario, minted through the real flow before timing: a
 * browser (fetch with a cookie jar) signs in once through /u/login and consents through /u/consent; after
 * that, each GET /authorize of that browser (session cookie, consent remembered) answers 302 to the
 * callback with a fresh code, exactly as an application would get it.
 */
import { Browser } from '../test/helpers/browser';
import { CALLBACK, authorizationParameters } from './scenarios';

/** A browser session at Parley: cookies, and the client it authorizes. */
export class ParleyBrowser {
  readonly #browser = new Browser();

  constructor(
    readonly issuer: string,
    readonly clientId: string,
    readonly codeChallenge: string,
  ) {}

  #authorizeUrl(i: number): string {
    return `${this.issuer}authorize?${new URLSearchParams(authorizationParameters(this.clientId, this.codeChallenge, i)).toString()}`;
  }

  /** Signs in and consents once, through the pages; returns the first code. */
  async signIn(user: { email: string; password: string }): Promise<string> {
    let url = this.#authorizeUrl(0);
    let res = await this.#browser.fetch(url);
    for (let hops = 0; hops < 10; hops++) {
      if (res.status === 302) {
        url = new URL(res.headers.get('location')!, this.issuer).href;
        if (url.startsWith(CALLBACK)) return codeOf(url);
        res = await this.#browser.fetch(url);
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`Parley sign-in: ${res.status} at ${url}: ${html.slice(0, 300)}`);
      const fields: Record<string, string> = {};
      for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
        fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
      const page = new URL(url).pathname;
      const extra: Record<string, string> = page === '/u/login' ? { email: user.email, password: user.password } : { action: 'accept' };
      url = `${this.issuer}${page.slice(1)}`;
      res = await this.#browser.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, ...extra }),
      });
    }
    throw new Error('Parley sign-in: too many steps');
  }

  /** `count` codes, 16 requests at a time, each from GET /authorize in the signed-in browser. */
  async mint(count: number): Promise<string[]> {
    const codes: string[] = new Array<string>(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const res = await this.#browser.fetch(this.#authorizeUrl(i));
        const location = res.headers.get('location') ?? '';
        if (res.status !== 302 || !location.startsWith(CALLBACK)) throw new Error(`Parley /authorize answered ${res.status} ${location.slice(0, 200)}`);
        codes[i] = codeOf(location);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return codes;
  }
}

function codeOf(url: string): string {
  const code = new URL(url).searchParams.get('code');
  if (!code) throw new Error(`no code in ${url}`);
  return code;
}
