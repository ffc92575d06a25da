/**
 * Serves the built renderer (out/renderer) on the privileged `app://parley/` scheme instead of `file://`,
 * so the page has a real origin and every response carries the strict CSP (ARCHITECTURE.md §9).
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** The Content-Security-Policy sent with every response of the app scheme. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** The MIME type for a file name; unknown extensions are served as opaque bytes (and `nosniff` keeps them so). */
export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** What the handler reads of a request: enough for Electron's `GlobalRequest` and for tests. */
export interface AppRequest {
  readonly url: string;
  readonly method: string;
}

/** Registers the scheme's privileges. Electron accepts this only before `ready`, and only once. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // corsEnabled stays unset: that keeps app:// unreadable from any other origin.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Installs the handler on the default session's protocol. Call after `ready`. */
export function registerAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}

/**
 * Builds the request handler over a directory. It answers only GET/HEAD for host `parley`, refuses any
 * path that would resolve outside `rendererDir` (`..`, encoded separators, backslashes, NUL), and falls
 * back to index.html for extension-less paths so client-side routes survive a reload.
 */
export function createAppProtocolHandler(rendererDir: string): (request: AppRequest) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found');

    const file = resolveInside(root, url.pathname);
    if (file === undefined) return respond(403, 'Forbidden');

    const found = (await readIfFile(file)) ?? (extname(file) === '' ? await readIfFile(resolve(root, 'index.html')) : undefined);
    if (found === undefined) return respond(404, 'Not found');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), {
      status: 200,
      headers: headers(mimeTypeFor(found.path)),
    });
  };
}

/** Maps a URL path to a file under `root`, or undefined when it would escape `root`. */
function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined; // malformed percent-encoding
  }
  // `URL` already removed literal and %2e dot segments; what is left here came encoded (%2f, %5c) or is NUL.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(root, relative);
  return file.startsWith(root + sep) ? file : undefined;
}

async function readIfFile(path: string): Promise<{ path: string; body: Buffer } | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return { path, body: await readFile(path) };
  } catch {
    return undefined;
  }
}

function headers(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
}

function respond(status: number, text: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8') });
}
