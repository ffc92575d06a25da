/**
 * The app's own origin. The renderer is served from `app://parley/` (a privileged standard scheme), so
 * the CSP, the IPC sender check and the navigation guard can all compare against one origin.
 */

/** The custom scheme the renderer is served from (without the colon). */
export const APP_SCHEME = 'app';
/** The host part of every app URL. */
export const APP_HOST = 'parley';
/** The app origin as Chromium serialises it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` (a full URL or a bare origin) belongs to the app origin.
 * Node's WHATWG `URL` reports `origin === 'null'` for schemes it does not know, `app:` included,
 * so the scheme and host are compared instead of `URL.origin`.
 */
export function isAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** True for an absolute `https:` URL: the only kind of link handed to the system browser. */
export function isHttpsUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
