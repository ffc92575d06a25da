/**
 * A rule's `source` (e.g. `RFC 9101 §4, §10.8; Auth0 JAR docs (A1)`) as text parts, every document it
 * names linked: RFC sections to rfc-editor.org, OpenID specs to openid.net, the Auth0 pages and observed
 * behaviour of the spec's source list (server-rules.md §16: A1…A21, O1…O6) to their addresses, and
 * Parley's own rules (`Parley rule`, `server-rules.md E-7`, a bare rule id) to their entry in the rule
 * reference the app ships (Explain's "Rule reference", `#/explain?rule=ID`). A source id is never shown
 * bare: `Auth0 JAR docs (A1)` becomes the link `Auth0 JAR docs`; ids in a list become their page titles.
 */

/** One piece of a source: text, and a link when it names a document. */
export interface SourcePart {
  text: string;
  href?: string;
}

/** The spec's source list (server-rules.md §16): Auth0 documentation pages (A) and observed behaviour (O). */
export const SOURCE_DOCUMENTS: Readonly<Record<string, { title: string; href: string }>> = {
  A1: {
    title: 'Auth0: Authorization Code Flow with JAR',
    href: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow/authorization-code-flow-with-jar',
  },
  A2: { title: 'Auth0: Configure JAR', href: 'https://auth0.com/docs/get-started/applications/configure-jar' },
  A3: {
    title: 'Auth0: Authorization Code Flow with PAR',
    href: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authorization-code-flow/authorization-code-flow-with-par',
  },
  A4: { title: 'Auth0: Configure PAR', href: 'https://auth0.com/docs/get-started/applications/configure-par' },
  A5: {
    title: 'Auth0: PAR API reference',
    href: 'https://auth0.com/docs/api/authentication/authorization-code-flow-with-enhanced-privacy-protection/push-authorization-requests',
  },
  A6: {
    title: 'Auth0 Authentication API (OpenAPI)',
    href: 'https://github.com/auth0/docs-v2/blob/main/main/docs/oas/authentication/authentication-api-oas.json',
  },
  A7: {
    title: 'Auth0: Authenticate with Private Key JWT',
    href: 'https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt',
  },
  A8: { title: 'Auth0: Configure Private Key JWT', href: 'https://auth0.com/docs/get-started/applications/configure-private-key-jwt' },
  A9: { title: 'Auth0: Rotate credentials', href: 'https://auth0.com/docs/get-started/applications/rotate-credentials' },
  A10: { title: 'Auth0: Application credentials', href: 'https://auth0.com/docs/secure/application-credentials' },
  A11: { title: 'Auth0: Credential settings', href: 'https://auth0.com/docs/get-started/applications/credentials' },
  A12: { title: 'Auth0: Generate RSA key pair', href: 'https://auth0.com/docs/secure/application-credentials/generate-rsa-key-pair' },
  A13: { title: 'Auth0: Configure FAPI compliance', href: 'https://auth0.com/docs/get-started/applications/configure-fapi-compliance' },
  A14: {
    title: 'Auth0: FAPI certification setup',
    href: 'https://auth0.com/docs/get-started/applications/configure-fapi-compliance/configure-auth0-to-pass-openid-fapi-certification-tests',
  },
  A15: { title: 'Auth0 Management API reference', href: 'https://auth0.com/docs/api/management/v2/clients/post-credentials' },
  A16: { title: 'Auth0: OIDC discovery', href: 'https://auth0.com/docs/get-started/applications/configure-applications-with-oidc-discovery' },
  A17: { title: 'Auth0: Measures against app impersonation', href: 'https://auth0.com/docs/secure/security-guidance/measures-against-app-impersonation' },
  A18: { title: 'Auth0: PKCE API reference', href: 'https://auth0.com/docs/api/authentication/authorization-code-flow-with-pkce/authorize-with-pkce' },
  A19: {
    title: 'Auth0 support: Callback URL mismatch',
    href: 'https://support.auth0.com/center/s/article/Callback-URL-Mismatch-Error-Is-Not-in-the-List-of-Allowed-Callback-URLs',
  },
  A20: {
    title: 'Auth0 community: private_key_jwt invalid_client',
    href: 'https://community.auth0.com/t/invalid-client-error-with-private-key-jwt-authentication-when-requesting-an-access-token/191217',
  },
  A21: {
    title: 'Auth0: Third-party applications troubleshooting',
    href: 'https://auth0.com/docs/get-started/applications/third-party-applications/troubleshooting',
  },
  O1: { title: 'node-auth0 Management types', href: 'https://github.com/auth0/node-auth0/blob/master/src/management/api/types/types.ts' },
  O2: {
    title: 'terraform-provider-auth0 credentials',
    href: 'https://github.com/auth0/terraform-provider-auth0/blob/main/internal/auth0/client/resource_credentials.go',
  },
  O3: { title: 'terraform-provider-auth0 recordings', href: 'https://github.com/auth0/terraform-provider-auth0/tree/main/test/data/recordings' },
  O4: { title: 'go-auth0 recordings', href: 'https://github.com/auth0/go-auth0/tree/main/test/data/recordings/authentication' },
  O5: { title: 'nextjs-auth0 captured discovery', href: 'https://github.com/auth0/nextjs-auth0' },
  O6: { title: 'auth0-spa-js #454', href: 'https://github.com/auth0/auth0-spa-js/issues/454' },
  // dpop-rules.md §12: Auth0's DPoP pages (DA), observed Auth0 code (DO) and the reference implementation (N1).
  DA1: {
    title: 'Auth0: Demonstrating Proof-of-Possession (DPoP)',
    href: 'https://auth0.com/docs/secure/sender-constraining/demonstrating-proof-of-possession-dpop',
  },
  DA2: { title: 'Auth0: Configure Sender Constraining', href: 'https://auth0.com/docs/secure/sender-constraining/configure-sender-constraining' },
  DA3: {
    title: 'Auth0: PAR API reference',
    href: 'https://auth0.com/docs/api/authentication/authorization-code-flow-with-enhanced-privacy-protection/push-authorization-requests',
  },
  DA4: { title: 'Auth0: /authorize API reference', href: 'https://auth0.com/docs/api/authentication/authorization-code-flow/authorize-application' },
  DA5: { title: 'Auth0: mTLS Sender Constraining', href: 'https://auth0.com/docs/secure/sender-constraining/mtls-sender-constraining' },
  DA6: { title: 'Auth0: Get Token API reference', href: 'https://auth0.com/docs/api/authentication/authorization-code-flow/get-token' },
  DA7: { title: 'Auth0: Sender Constraining', href: 'https://auth0.com/docs/secure/sender-constraining' },
  DA8: {
    title: 'Auth0 Authentication API (OpenAPI)',
    href: 'https://github.com/auth0/docs-v2/blob/main/main/docs/oas/authentication/authentication-api-oas.json',
  },
  DA9: { title: 'Auth0: On-Behalf-Of Token Exchange', href: 'https://auth0.com/docs/secure/call-apis-on-users-behalf/on-behalf-of-token-exchange' },
  DA10: {
    title: 'Auth0: DPoP for enterprise connections',
    href: 'https://auth0.com/docs/authenticate/enterprise-connections/enable-dpop-enterprise-connections',
  },
  DA11: {
    title: 'Auth0: Third-party applications security controls',
    href: 'https://auth0.com/docs/get-started/applications/third-party-applications/security-controls',
  },
  DA12: { title: 'Auth0: Online refresh tokens', href: 'https://auth0.com/docs/secure/tokens/refresh-tokens/online-refresh-tokens/online-refresh-tokens' },
  DA13: { title: 'Auth0 Management API: create a resource server', href: 'https://auth0.com/docs/api/management/v2/resource-servers/post-resource-servers' },
  DO1: { title: 'auth0-spa-js', href: 'https://github.com/auth0/auth0-spa-js' },
  DO2: { title: 'auth0-react', href: 'https://github.com/auth0/auth0-react' },
  DO3: { title: 'nextjs-auth0', href: 'https://github.com/auth0/nextjs-auth0' },
  DO4: { title: 'Auth0.swift', href: 'https://github.com/auth0/Auth0.swift' },
  DO5: { title: 'auth0-api-js', href: 'https://github.com/auth0/auth0-auth-js/tree/main/packages/auth0-api-js' },
  DO6: { title: 'node-oauth2-jwt-bearer', href: 'https://github.com/auth0/node-oauth2-jwt-bearer' },
  DO7: { title: 'auth0-api-python', href: 'https://github.com/auth0/auth0-api-python' },
  DO8: { title: 'node-auth0 Management types', href: 'https://github.com/auth0/node-auth0/blob/master/src/management/api/types/types.ts' },
  DO9: { title: 'terraform-provider-auth0 recordings', href: 'https://github.com/auth0/terraform-provider-auth0/tree/main/test/data/recordings' },
  N1: { title: 'node-oidc-provider', href: 'https://github.com/panva/node-oidc-provider' },
};

/** A source id of either spec's source list: A1, O6 (server-rules.md), DA1, DO9, N1 (dpop-rules.md). */
const SOURCE_ID = '(?:[AO]|D[AO]|N)[0-9]{1,2}';

/** The rfc-editor.org address of an RFC, or of one of its sections. */
export function rfcHref(rfc: string, section?: string): string {
  const base = `https://www.rfc-editor.org/rfc/rfc${rfc}`;
  if (section === undefined || section === '') return base;
  // Appendices are `#appendix-A.1`, numbered sections `#section-4.1.4`.
  return /^[A-Z]/.test(section) ? `${base}#appendix-${section}` : `${base}#section-${section}`;
}

const OIDC_CORE = 'https://openid.net/specs/openid-connect-core-1_0.html';

/** An OpenID Connect Core section (the spec's xml2rfc anchors: `#rfc.section.3.1.2.1`). */
export function oidcCoreHref(section?: string): string {
  return section === undefined || section === '' ? OIDC_CORE : `${OIDC_CORE}#rfc.section.${section}`;
}

/** The in-app rule reference entry of a rule (Explain screen, `#/explain?rule=ID`). */
export function ruleReferenceHref(id: string): string {
  return `#/explain?rule=${encodeURIComponent(id)}`;
}

/** `§4`, `§4.1.4–4.1.5`, `§5–§6`, `§3 item 3`, `§4.3 step 9`, `§A.1`, right at the start (after optional spaces). */
const FIRST_SECTION = /^(\s*)§\s?([0-9A-Z](?:[0-9A-Za-z.]*[0-9A-Za-z])?)((?:[–-]§?[0-9.]*[0-9])?(?:\s+(?:items?|steps?)\s+[0-9]+(?:[–-][0-9]+)?)?)/;
/** `, §10.8` after a section. */
const NEXT_SECTION = /^(\s*,\s*)§\s?([0-9A-Z](?:[0-9A-Za-z.]*[0-9A-Za-z])?)((?:[–-]§?[0-9.]*[0-9])?(?:\s+(?:items?|steps?)\s+[0-9]+(?:[–-][0-9]+)?)?)/;

/** Named documents without a section scheme of their own, longest names first. */
const NAMED: readonly { pattern: RegExp; href: string }[] = [
  { pattern: /OIDC Discovery(?: 1\.0)?/, href: 'https://openid.net/specs/openid-connect-discovery-1_0.html' },
  { pattern: /OIDC RP-Initiated Logout/, href: 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html' },
  { pattern: /FAPI 2\.0 Message Signing/, href: 'https://openid.net/specs/fapi-2_0-message-signing.html' },
  { pattern: /FAPI 2\.0(?: SP)?(?: §[0-9.]*[0-9])?/, href: 'https://openid.net/specs/fapi-security-profile-2_0-final.html' },
  { pattern: /FAPI 1 Advanced(?: §[0-9.]*[0-9])?/, href: 'https://openid.net/specs/openid-financial-api-part-2-1_0.html' },
  { pattern: /OAuth 2\.0 Multiple Response Types(?: §[0-9.]*[0-9])?/, href: 'https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html' },
  { pattern: /OAuth 2\.0 Form Post Response Mode/, href: 'https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html' },
  { pattern: /node-oidc-provider/, href: 'https://github.com/panva/node-oidc-provider' },
  { pattern: /go-auth0 tests/, href: 'https://github.com/auth0/go-auth0' },
  {
    pattern: /OWASP CSRF prevention|OWASP login CSRF/,
    href: 'https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html',
  },
  { pattern: /Fetch Metadata/, href: 'https://www.w3.org/TR/fetch-metadata/' },
  { pattern: /HTML forms/, href: 'https://html.spec.whatwg.org/multipage/forms.html' },
  {
    pattern: /Auth0 “Get Management API Access Tokens for Single-Page Applications”/,
    href: 'https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-tokens-for-single-page-applications',
  },
  { pattern: /Auth0 Management API access tokens/, href: 'https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens' },
  { pattern: /Auth0 Management API(?: v2)?/, href: 'https://auth0.com/docs/api/management/v2' },
  { pattern: /Auth0 Authentication API/, href: 'https://auth0.com/docs/api/authentication' },
  { pattern: /Auth0 audience parameter/, href: 'https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens' },
  { pattern: /Auth0 client grants/, href: 'https://auth0.com/docs/get-started/applications/application-access-to-apis-client-credentials' },
  { pattern: /Auth0 application grant types/, href: 'https://auth0.com/docs/get-started/applications/application-grant-types' },
  { pattern: /Auth0 logout/, href: 'https://auth0.com/docs/authenticate/login/logout/redirect-users-after-logout' },
  { pattern: /Auth0 discovery(?= \()(?! \([AO]\d)/, href: SOURCE_DOCUMENTS['A16']!.href },
];

/** A rule id of Parley's specification (`JAR-11`, `E-7`, `X-1`), named in a source as its own reference. */
const RULE_ID = /\b([A-Z]{1,3}-[0-9]{1,2})\b/;

interface Span {
  start: number;
  end: number;
  parts: SourcePart[];
}

/** A document with sections (`RFC 9101 §4, §10.8`, `OIDC Core §6.1`): the name with its first section, then each further section, linked. */
function sectioned(source: string, name: RegExp, href: (id: string, section?: string) => string): Span[] {
  const spans: Span[] = [];
  for (const match of source.matchAll(new RegExp(name.source, 'g'))) {
    const id = match[1] ?? '';
    let pos = match.index + match[0].length;
    const parts: SourcePart[] = [];
    const first = FIRST_SECTION.exec(source.slice(pos));
    if (first === null) {
      parts.push({ text: match[0], href: href(id) });
    } else {
      parts.push({ text: match[0] + first[0], href: href(id, first[2]) });
      pos += first[0].length;
      for (let next = NEXT_SECTION.exec(source.slice(pos)); next !== null; next = NEXT_SECTION.exec(source.slice(pos))) {
        parts.push({ text: next[1]! });
        parts.push({ text: next[0].slice(next[1]!.length), href: href(id, next[2]) });
        pos += next[0].length;
      }
    }
    spans.push({ start: match.index, end: pos, parts });
  }
  return spans;
}

/**
 * `Label (A1)`: the label is the link and the id goes; `Label (A3, A4, A13)` or `Label (A3: note)`: the
 * label links to the first id, the other ids become their titles, a note stays. A bare `A15` or `O1`
 * becomes its title.
 */
function sourceIds(source: string): Span[] {
  const spans: Span[] = [];
  const group = new RegExp(`([A-Za-z0-9][^;(),]*?)\\s*\\((${SOURCE_ID}(?:\\s*[,–]\\s*${SOURCE_ID})*)(?:[:\\s]\\s*([^)]*))?\\)`, 'g');
  for (const match of source.matchAll(group)) {
    const [whole, label, ids, note] = match;
    // A label that is itself a document (`FAPI 2.0 SP §5.3.2.1 (A13)`) keeps its own link; the ids become titles.
    if (/^(RFC\s?\d|OIDC|OpenID|FAPI \d|OAuth 2\.0)/.test(label!)) continue;
    const docs = ids!.split(/\s*[,–]\s*/).map((id) => SOURCE_DOCUMENTS[id]);
    if (docs.some((d) => d === undefined)) continue;
    const [first, ...rest] = docs as { title: string; href: string }[];
    const parts: SourcePart[] = [{ text: label!, href: first!.href }];
    const inner: SourcePart[] = [];
    rest.forEach((doc, i) => {
      if (i > 0) inner.push({ text: ', ' });
      inner.push({ text: doc.title, href: doc.href });
    });
    if (note !== undefined) inner.push({ text: `${rest.length > 0 ? '; ' : ''}${note}` });
    if (inner.length > 0) parts.push({ text: ' (' }, ...inner, { text: ')' });
    spans.push({ start: match.index, end: match.index + whole.length, parts });
  }
  for (const match of source.matchAll(new RegExp(`\\b(${SOURCE_ID})\\b`, 'g'))) {
    const doc = SOURCE_DOCUMENTS[match[1]!];
    if (doc) spans.push({ start: match.index, end: match.index + match[0].length, parts: [{ text: doc.title, href: doc.href }] });
  }
  return spans;
}

/** Parley's own rules: `Parley rule`, `server-rules.md E-7` / `server-rules.md §1.1`, `§14 X-1`, a bare `PKJ-14`. */
function parleyRules(source: string, ownId: string | undefined): Span[] {
  const spans: Span[] = [];
  for (const match of source.matchAll(/(?:(?:server|dpop)-rules\.md\s+)?(?:§[0-9.]+\s+)?\b[A-Z]{1,3}-[0-9]{1,2}\b/g)) {
    const id = RULE_ID.exec(match[0])![1]!;
    spans.push({ start: match.index, end: match.index + match[0].length, parts: [{ text: match[0], href: ruleReferenceHref(id) }] });
  }
  for (const match of source.matchAll(/(?:server|dpop)-rules\.md(?:\s+§[0-9.]+)?|Parley rule|Parley sign-in(?: page)?/g)) {
    if (ownId === undefined) continue;
    spans.push({ start: match.index, end: match.index + match[0].length, parts: [{ text: match[0], href: ruleReferenceHref(ownId) }] });
  }
  return spans;
}

/**
 * Splits a source into parts, every named document linked: `RFC 9101 §4, §10.8` becomes `RFC 9101 §4`
 * (linked to §4), `, ` and `§10.8` (linked to §10.8); `Auth0 JAR docs (A1)` becomes `Auth0 JAR docs`
 * linked to the A1 page. `ruleId` is the rule the source belongs to: a source naming Parley's own
 * specification links to that rule's entry in the rule reference. Text between documents is kept.
 */
export function sourceParts(source: string, ruleId?: string): SourcePart[] {
  const candidates: Span[] = [
    ...sectioned(source, /RFC\s?(\d{3,5})/, rfcHref),
    ...sectioned(source, /(?:OIDC|OpenID Connect) Core(?: 1\.0)?()/, (_id, section) => oidcCoreHref(section)),
    ...sourceIds(source),
    ...NAMED.flatMap(({ pattern, href }) =>
      [...source.matchAll(new RegExp(pattern.source, 'g'))].map((m) => ({ start: m.index, end: m.index + m[0].length, parts: [{ text: m[0], href }] })),
    ),
    ...parleyRules(source, ruleId),
  ];
  // Earliest first, the longest of those starting together; overlapping later ones are dropped.
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: SourcePart[] = [];
  const text = (t: string) => {
    if (t === '') return;
    const previous = parts[parts.length - 1];
    if (previous !== undefined && previous.href === undefined) previous.text += t;
    else parts.push({ text: t });
  };
  let last = 0;
  for (const span of candidates) {
    if (span.start < last) continue;
    text(source.slice(last, span.start));
    for (const part of span.parts) {
      if (part.href === undefined) text(part.text);
      else parts.push(part);
    }
    last = span.end;
  }
  text(source.slice(last));
  return parts;
}
