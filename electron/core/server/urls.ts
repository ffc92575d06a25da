/**
 * The embedded server's endpoint URLs, derived from its issuer once it listens. A module of its own: the
 * context (context.ts) and the directory (management/directory.ts) both need them, and neither needs the other
 * for them.
 */

/** The server's endpoint URLs, derived from the issuer. */
export interface ServerUrls {
  /** `http://127.0.0.1:PORT/` (or https) — with the trailing slash (IDT-1, JAR-11). */
  issuer: string;
  authorize: string;
  token: string;
  par: string;
  userinfo: string;
  revoke: string;
  jwks: string;
  login: string;
  logout: string;
  /** The Management API's audience: `{issuer}api/v2/`. */
  managementAudience: string;
}

/** Builds the URLs from an issuer with its trailing slash. */
export function serverUrls(issuer: string): ServerUrls {
  return {
    issuer,
    authorize: `${issuer}authorize`,
    token: `${issuer}oauth/token`,
    par: `${issuer}oauth/par`,
    userinfo: `${issuer}userinfo`,
    revoke: `${issuer}oauth/revoke`,
    jwks: `${issuer}.well-known/jwks.json`,
    login: `${issuer}u/login`,
    logout: `${issuer}v2/logout`,
    managementAudience: `${issuer}api/v2/`,
  };
}
