/**
 * The readiness report shared by `npm run server` and `npm run web`: the issuer, the Management API
 * client (id, secret, audience) and the local users, so automation can drive the server at once; with
 * https, the local CA's certificate file too (`ca_file`) and how to trust it.
 */
import type { EmbeddedServer } from '../core/server/embedded';

/** The server part of a ready line, or null when the server is not running. */
export function serverReadyFields(server: EmbeddedServer): {
  issuer: string;
  management: { client_id: string; client_secret: string; audience: string };
  users: { email: string; password: string }[];
  ca_file?: string;
} | null {
  const status = server.status();
  if (!status.running || !status.issuer || !status.management) return null;
  const info = server.directory.bootstrapInfo();
  return {
    issuer: status.issuer,
    management: { client_id: info.management.client_id, client_secret: info.management.client_secret, audience: status.management.audience },
    users: info.users.map((u) => ({ email: u.email, password: u.password })),
    // Only when https is on: the line of a plain-http server stays exactly what it was.
    ...(status.tls ? { ca_file: status.tls.caFile } : {}),
  };
}

/** How to make common clients trust the local CA, one line each (the Server screen says the same). */
export function trustHints(caFile: string): string[] {
  const q = /[\s"'$`\\]/.test(caFile) ? JSON.stringify(caFile) : caFile;
  return [
    `Node.js:    NODE_EXTRA_CA_CERTS=${q} node …`,
    `curl:       curl --cacert ${q} …`,
    `Python:     SSL_CERT_FILE=${q} REQUESTS_CA_BUNDLE=${q} python …`,
    `Browsers:   add ${q} to the OS trust store (as a certificate authority) to open the sign-in page without a warning`,
  ];
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
    `              (client secret in the data directory's clients/ folder, or use --json)`,
    ...fields.users.map((u) => `  User:       ${u.email} / ${u.password}`),
    ...(fields.ca_file
      ? [`  CA:         ${fields.ca_file}  (trust it; its key never leaves the data directory)`, ...trustHints(fields.ca_file).map((h) => `    ${h}`)]
      : []),
  ].join('\n');
}
