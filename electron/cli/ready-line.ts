/**
 * The readiness report shared by `npm run server` and `npm run web`: the issuer, the Management API
 * client (id, secret, audience) and the local users, so automation can drive the server at once.
 */
import type { EmbeddedServer } from '../core/server/embedded';

/** The server part of a ready line, or null when the server is not running. */
export function serverReadyFields(server: EmbeddedServer): {
  issuer: string;
  management: { client_id: string; client_secret: string; audience: string };
  users: { email: string; password: string }[];
} | null {
  const status = server.status();
  if (!status.running || !status.issuer || !status.management) return null;
  const info = server.directory.bootstrapInfo();
  return {
    issuer: status.issuer,
    management: { client_id: info.management.client_id, client_secret: info.management.client_secret, audience: status.management.audience },
    users: info.users.map((u) => ({ email: u.email, password: u.password })),
  };
}

/** A readable summary for a terminal. */
export function serverSummary(server: EmbeddedServer): string {
  const fields = serverReadyFields(server);
  if (!fields) return `  Server: not running (${server.status().error ?? 'stopped'})`;
  const profile = server.status().settings.profile;
  return [
    `  Issuer:     ${fields.issuer}  (profile: ${profile})`,
    `  Discovery:  ${fields.issuer}.well-known/openid-configuration`,
    `  Management: client_id ${fields.management.client_id}, audience ${fields.management.audience}`,
    `              (client secret in ${'clients.json'} of the data directory, or use --json)`,
    ...fields.users.map((u) => `  User:       ${u.email} / ${u.password}`),
  ].join('\n');
}
