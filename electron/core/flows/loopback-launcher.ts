/**
 * RFC 8252 §7.3 loopback redirect: listens on 127.0.0.1 at the redirect_uri's port and path, answers the
 * browser with a small page, and returns the callback URL. The launcher does not open the page itself:
 * in web mode the renderer opens the authorize URL in a tab from the `flows.updated` event (status
 * 'waiting-for-browser'); `show` lets another host open the system browser instead.
 */
import { createServer } from 'node:http';
import type { BrowserLauncher, BrowserOutcome } from './browser-launcher';
import { FlowStepError } from './flow-error';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title></head><body style="font-family:system-ui;margin:3rem"><h1>You can close this tab</h1><p>Parley received the authorization response.</p></body></html>`;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Listens for the redirect on 127.0.0.1. */
export class LoopbackLauncher implements BrowserLauncher {
  constructor(private readonly show: (url: string) => void = () => {}) {}

  /** Listens at the redirect_uri, shows the URL, and resolves with the first request to the redirect path. */
  open(url: string, redirectUri: string, signal: AbortSignal): Promise<BrowserOutcome> {
    const redirect = new URL(redirectUri);
    if (redirect.protocol !== 'http:' || !LOOPBACK_HOSTS.has(redirect.hostname)) {
      return Promise.reject(
        new FlowStepError(
          'configuration',
          `The redirect URI ${redirectUri} is not a loopback http URI (RFC 8252 §7.3), so Parley cannot receive the callback in this mode.`,
        ),
      );
    }
    // The redirect_uri travels inside the request before the listener exists, so the port must be known:
    // a port-less loopback URI (which RFC 8252 §7.3 lets a server match on any port) cannot be listened on.
    if (redirect.port === '') {
      return Promise.reject(
        new FlowStepError(
          'configuration',
          `The redirect URI ${redirectUri} has no port, so Parley does not know where to listen for the callback. Add an explicit port, e.g. http://127.0.0.1:53682${redirect.pathname}, and register it with the client.`,
        ),
      );
    }
    const port = Number(redirect.port);
    return new Promise<BrowserOutcome>((resolve, reject) => {
      let settled = false;
      const server = createServer((req, res) => {
        const received = new URL(req.url ?? '/', `http://${redirect.host}`);
        if (req.method !== 'GET' || received.pathname !== redirect.pathname) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
        finish({ callbackUrl: `${redirect.protocol}//${redirect.host}${received.pathname}${received.search}` });
      });
      const finish = (outcome: BrowserOutcome | Error): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        server.close();
        server.closeAllConnections();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = (): void => finish({ cancelled: true });
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      server.once('error', (e) =>
        finish(new FlowStepError('configuration', `Cannot listen for the callback on 127.0.0.1:${port}: ${e.message}.`, { cause: e })),
      );
      server.listen(port, '127.0.0.1', () => this.show(url));
    });
  }
}
