/**
 * `npm run server -- [--port N] [--data-dir DIR] [--profile auth0|strict] [--https] [--json] …`: the embedded
 * Auth0-compatible authorization server alone, headless — a local stand-in for Auth0 in integration tests.
 * Also built into one file, `out/server/parley-server.js` (the `parley-server` bin; vite.server.config.ts).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventBus } from '../core/events';
import { EmbeddedServer } from '../core/server/embedded';
import type { ServerSettings } from '../core/server/settings';
import { DEFAULT_SERVER_PORT } from '../core/server/settings';
import { BUILT_IN_NAMES, leafNames } from '../core/server/tls/local-ca';
import { confStoreFactory } from '../core/store/document-store';
import { applyTenant, loadTenantFile, TenantError } from '../core/server/tenant/tenant-file';
import type { TenantPlan } from '../core/server/tenant/tenant-file';
import { exportTenant, writeTenantExport } from '../core/server/tenant/tenant-export';
import { defaultDataDir, fail, onShutdown, parseCommandLine, parsePort } from './common';
import { serverReadyFields, serverSummary } from './ready-line';
import { joinNegativeValues, parseClockOffset, parseRateLimits } from './server-switches';
import type { StoreNotice } from '../../shared/schemas/app';

const USAGE = `Usage: npm run server -- [--port N] [--data-dir DIR] [--profile auth0|strict] [--https [--host-name NAME]…]
                         [--rate-limits on|off] [--clock-offset SECONDS|DURATION] [--skip-consent] [--json]
                         [--tenant FILE] [--export-tenant FILE [--include-secrets]]
       (or: parley-server [same options], the built server)

  --port N            port on 127.0.0.1 (default: the saved port, ${DEFAULT_SERVER_PORT} at first; 0 = any free port)
  --data-dir DIR      where clients, credentials and users are kept (default: ${defaultDataDir('server')})
  --profile P         auth0 (default: Auth0's behaviour) or strict (RFC 9101 / RFC 9126 / FAPI 2.0)
  --https             serve https (issuer https://127.0.0.1:PORT/) with a certificate from a local CA kept in
                      DIR/tls (created on first use); trust DIR/tls/ca.pem in the clients
  --host-name NAME    another name for the certificate and the Host check (repeatable), e.g. an /etc/hosts alias
  --rate-limits off   no PAR rate limit (PAR-19) and no sign-in blocking (SES-7); on by default
  --clock-offset T    the server's clock is the host's plus T: seconds (-300) or a duration (-5m, 2h, 1d)
  --skip-consent      no consent step after sign-in
  --json              print one JSON line when ready: {"issuer", "management": {client_id, client_secret, audience},
                      "users", "dataDir"}, plus "ca_file" with --https

  --tenant FILE       create or update, before listening, the clients, client grants, users and settings a
                      JSON or YAML tenant file declares (README: "Use Parley in CI"); a bad file stops here
  --export-tenant F   write the data directory's tenant to F in the --tenant form (YAML, or JSON for *.json)
                      and exit; --include-secrets adds the client secrets

  --https, --rate-limits, --clock-offset and --skip-consent hold for this run only (nothing is saved).`;

async function main(): Promise<void> {
  process.argv = [...process.argv.slice(0, 2), ...joinNegativeValues(process.argv.slice(2), ['--clock-offset'])];
  const args = parseCommandLine(
    ['profile', 'rate-limits', 'clock-offset', 'tenant', 'export-tenant'],
    USAGE,
    ['https', 'skip-consent', 'include-secrets'],
    ['host-name'],
  );
  if (args['include-secrets'] && args['export-tenant'] === undefined) fail('--include-secrets is an option of --export-tenant');
  const profile = args.profile;
  if (profile !== undefined && profile !== 'auth0' && profile !== 'strict') fail(`--profile must be auth0 or strict, not ${JSON.stringify(profile)}`);
  const rateLimits = parseRateLimits(args['rate-limits']);
  if ('error' in rateLimits) fail(rateLimits.error);
  const clockOffset = args['clock-offset'] === undefined ? undefined : parseClockOffset(args['clock-offset']);
  if (clockOffset && 'error' in clockOffset) fail(clockOffset.error);
  const hostNames = args['host-name'] ?? [];
  if (hostNames.length > 0 && !args.https) fail('--host-name names the https certificate: give --https too');
  let checkedNames: string[] = [];
  try {
    checkedNames = leafNames(hostNames);
  } catch (e) {
    fail('--host-name', e);
  }
  // This run's switches (ServerSettingsStore: never saved). Plain http unless --https: a data directory a
  // desktop app once switched to https does not change what a CI job gets.
  const launchSettings: Partial<ServerSettings> = {
    https: args.https === true,
    ...(clockOffset ? { clockOffsetSeconds: clockOffset.seconds } : {}),
    ...(args['skip-consent'] ? { consent: false } : {}),
  };
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir('server'));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const notices: StoreNotice[] = [];
  const events = new EventBus();
  let server: EmbeddedServer;
  try {
    server = new EmbeddedServer({
      store: confStoreFactory(dataDir),
      notices,
      events,
      ...(args.port === undefined ? {} : { port: parsePort(args.port, DEFAULT_SERVER_PORT) }),
      ...(profile ? { settings: { profile } } : {}),
      launchSettings,
      dataDir,
      ...(hostNames.length > 0 ? { hostNames: checkedNames.filter((n) => !BUILT_IN_NAMES.includes(n)) } : {}),
      rateLimits: rateLimits.on,
    });
  } catch (e) {
    fail(`could not open the data directory ${dataDir}`, e);
  }
  for (const notice of notices) console.error(`parley: warning: ${notice.file} could not be read (${notice.reason}); it was moved to ${notice.movedTo}.`);
  // The tenant file is validated whole and planned before anything is written, and before the server listens.
  if (args.tenant !== undefined) await declareTenant(args.tenant, server);
  if (args['export-tenant'] !== undefined) {
    const includeSecrets = args['include-secrets'] === true;
    try {
      writeTenantExport(args['export-tenant'], exportTenant(server.directory, server.settingsStore.saved(), { includeSecrets }), { includeSecrets });
    } catch (e) {
      fail(`--export-tenant ${args['export-tenant']}`, e);
    }
    console.error(`parley: wrote the tenant of ${dataDir} to ${args['export-tenant']}${includeSecrets ? ' (with client secrets)' : ''}.`);
    return;
  }
  const status = await server.start();
  if (!status.running) fail(status.error ?? 'the server did not start');
  onShutdown(() => server.stop());

  const fields = serverReadyFields(server);
  if (args.json) process.stdout.write(`${JSON.stringify({ ...fields, dataDir })}\n`);
  else console.log(`Parley authorization server (headless)\n\n${serverSummary(server)}\n  Data:       ${dataDir}\n\nPress Ctrl+C to stop.`);
}

/** Loads, validates and applies a tenant file; any problem ends the process before the server listens. */
async function declareTenant(file: string, server: EmbeddedServer): Promise<void> {
  let plan: TenantPlan;
  try {
    plan = await loadTenantFile(file, server.directory);
  } catch (e) {
    if (e instanceof TenantError) {
      console.error(`parley: the tenant file was not applied; nothing was changed:\n${e.message}`);
      process.exit(1);
    }
    fail(`--tenant ${file}`, e);
  }
  try {
    const done = await applyTenant(plan, server.directory, server.settingsStore);
    const c = done.clients;
    console.error(
      `parley: tenant ${file}: clients ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged; grants ${done.grants.changed} changed; users ${done.users.changed} changed; connections ${done.connections.changed} changed${done.settings ? '; settings updated' : ''}.`,
    );
  } catch (e) {
    fail(`applying the tenant file ${file}`, e);
  }
}

void main();
