/**
 * A browser for HTTP tests and the benchmark: a cookie jar in front of fetch() that never follows
 * redirects by itself. No test framework here, so `npm run bench` can use it too (bench/parley-codes.ts).
 */
/** A browser: keeps cookies per name and never follows redirects by itself. */
export class Browser {
  readonly cookies = new Map<string, string>();

  /** `transport`: global fetch by default; a fetch trusting the local CA for an https server. */
  constructor(private readonly transport: (url: string, init: RequestInit) => Promise<Response> = fetch) {}

  /** Sends a request with the cookies and stores the ones set. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.transport(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Posts a form. */
  postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  }
}
