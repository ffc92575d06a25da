/**
 * `/api/v2/tenants/settings`, only as far as dynamic client registration needs it: Auth0's documented way to
 * switch `/oidc/register` on is `PATCH /api/v2/tenants/settings {"flags": {"enable_dynamic_client_registration": true}}`
 * (scope update:tenant_settings). The flag is the server setting `dynamicClientRegistration` (server.json), so
 * a tenant file's `settings:` and the Management API change the same switch. Other tenant settings and flags
 * are not emulated: sending one is a payload validation error that says so, never a silent no-op.
 */
import type { ServerSettings } from '../../../../shared/schemas/server';
import type { ServerContext } from '../context';
import type { RuleSink } from '../recording';
import { pass } from '../recording';
import { DPOP_RULES } from '../rules-dpop';
import { root } from './payload';

/** GET /api/v2/tenants/settings: the one flag Parley emulates. */
export function tenantSettingsJson(ctx: ServerContext): Record<string, unknown> {
  return { flags: { enable_dynamic_client_registration: ctx.settings().dynamicClientRegistration === true } };
}

/** Validates a PATCH /api/v2/tenants/settings body; returns the settings change. */
export function parseTenantSettings(body: unknown, sink: RuleSink): Partial<ServerSettings> {
  const field = root(sink, DPOP_RULES['DPC-13']);
  const obj = field.object(body, ['flags']);
  if (obj.flags === undefined) return {};
  const flags = field.at('flags').object(obj.flags, ['enable_dynamic_client_registration']);
  if (flags.enable_dynamic_client_registration === undefined) return {};
  const on = field.at('flags').at('enable_dynamic_client_registration').boolean(flags.enable_dynamic_client_registration);
  pass(sink, DPOP_RULES['DPC-13'], 'flags.enable_dynamic_client_registration (update:tenant_settings)', String(on));
  return { dynamicClientRegistration: on };
}
