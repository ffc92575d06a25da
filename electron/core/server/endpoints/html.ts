/**
 * The server's own HTML (sign-in, consent, form_post, signed-out): one small layout, no external assets,
 * an inline stylesheet allowed by a per-response CSP nonce, and headers that keep the pages from being
 * framed or leaking referrers. Every dynamic value goes through escapeHtml.
 */
import type { FastifyReply } from 'fastify';
import { randomToken } from '../../random';
import { escapeHtml } from '../errors';

/**
 * The stylesheet of every page (kept tiny; no fonts or images to fetch). The focus ring is drawn, not left to
 * the browser's default: a dark outline outside the blue button, 3:1 and more against the white card (WCAG
 * 1.4.11), so a keyboard user sees which of Accept and Decline Enter will press.
 */
const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f2f4f7;color:#1c2430}
main{max-width:400px;margin:8vh auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 2px 10px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}p.lead{margin:0 0 20px;color:#4a5565}label{display:block;font-weight:600;margin:14px 0 4px}
input[type=email],input[type=password]{width:100%;padding:10px;border:1px solid #c5ccd6;border-radius:4px;font:inherit}
button{margin-top:20px;width:100%;padding:11px;border:0;border-radius:4px;background:#3a5bd9;color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.secondary{background:#fff;color:#3a5bd9;border:1px solid #3a5bd9;margin-top:10px}
:focus-visible{outline:3px solid #1c2430;outline-offset:2px}input:focus-visible{outline-offset:0}.error{background:#fde8e8;color:#9b1c1c;padding:10px;border-radius:4px}
.note{background:#fff7e0;padding:10px;border-radius:4px;font-size:14px}ul{padding-left:20px}code{word-break:break-all}footer{margin-top:24px;color:#8a94a3;font-size:12px;text-align:center}`;

/** A rendered page and the nonce its CSP must allow. */
export interface Page {
  html: string;
  nonce: string;
}

/** Renders the layout around `body` (already escaped HTML). */
export function renderPage(title: string, body: string, options: { script?: string } = {}): Page {
  const nonce = randomToken(16);
  const script = options.script ? `<script nonce="${nonce}">${options.script}</script>` : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main>${body}<footer>Parley authorization server</footer></main>${script}</body></html>`;
  return { html, nonce };
}

/** The form-action sources for a redirect target: browsers apply form-action to the redirect after a POST. */
export function formActionSource(uri: string): string | undefined {
  try {
    const url = new URL(uri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    return /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol) ? url.protocol : undefined;
  } catch {
    return undefined;
  }
}

/** The strict CSP of a page: nothing external, inline style/script only with the nonce. */
export function pageCsp(nonce: string | undefined, formAction: string[]): string {
  const inline = nonce ? `'nonce-${nonce}'` : "'none'";
  const actions = formAction.length > 0 ? formAction.join(' ') : "'none'";
  return `default-src 'none'; style-src ${inline}; script-src ${inline}; img-src 'none'; form-action ${actions}; frame-ancestors 'none'; base-uri 'none'`;
}

/** Sets the headers every HTML page carries. */
export function setPageHeaders(reply: FastifyReply, csp: string): void {
  reply.header('content-security-policy', csp);
  reply.header('x-frame-options', 'DENY');
  // same-origin, not no-referrer: with no-referrer a browser posts the page's forms with `Origin: null`, and the
  // sign-in forms' origin is checked (SES-6). Other sites still get no Referer (so no transaction id).
  reply.header('referrer-policy', 'same-origin');
  reply.header('cache-control', 'no-store');
}

/** Sends a page with its CSP. */
export function sendPage(reply: FastifyReply, status: number, page: Page, formAction: string[] = []): FastifyReply {
  setPageHeaders(reply, pageCsp(page.nonce, formAction));
  return reply.code(status).type('text/html; charset=utf-8').send(page.html);
}
