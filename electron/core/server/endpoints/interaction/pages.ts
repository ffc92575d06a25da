/**
 * The sign-in and consent pages. Plain HTML forms (they work without JavaScript), with labels the tests and
 * assistive technology rely on: "Email", "Password", "Continue", "Accept", "Decline".
 */
import { escapeHtml } from '../../errors';
import type { Page } from '../html';
import { renderPage } from '../html';

/** Descriptions of the scopes the consent page explains. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Sign you in (your user id)',
  profile: 'Your name',
  email: 'Your email address',
  offline_access: 'Stay signed in (a refresh token)',
};

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

/** The sign-in page. */
export function loginPage(input: { clientName: string; state: string; csrf: string; action: string; error?: string; email?: string }): Page {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  // The first field to fill has focus on arrival (no script needed): Email, or Password when the page comes
  // back after a wrong password with the email kept.
  const emailFocus = input.email ? '' : ' autofocus';
  const passwordFocus = input.email ? ' autofocus' : '';
  const body = `<h1>Welcome</h1><p class="lead">Log in to continue to <strong>${escapeHtml(input.clientName)}</strong>.</p>${error}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">${hidden('state', input.state)}${hidden('csrf', input.csrf)}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? '')}"${emailFocus}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${passwordFocus}>
<button type="submit">Continue</button></form>`;
  return renderPage(`Log in | ${input.clientName}`, body);
}

/** The consent page (it also shows RED-4's notice for a callback that cannot be verified). */
export function consentPage(input: {
  clientName: string;
  userEmail: string;
  scopes: string[];
  audience?: string | undefined;
  redirectUri: string;
  nonVerifiable: boolean;
  state: string;
  csrf: string;
  action: string;
}): Page {
  const scopes = input.scopes.length > 0 ? input.scopes : ['(no scopes)'];
  const items = scopes.map((s) => `<li><code>${escapeHtml(s)}</code>${SCOPE_TEXT[s] ? ` — ${escapeHtml(SCOPE_TEXT[s])}` : ''}</li>`).join('');
  const audience = input.audience ? `<p>API (audience): <code>${escapeHtml(input.audience)}</code></p>` : '';
  const notice = input.nonVerifiable
    ? `<p class="note">The application will receive the result at <code>${escapeHtml(input.redirectUri)}</code>. This address cannot be verified as belonging to ${escapeHtml(input.clientName)}; accept only if you started this sign-in.</p>`
    : '';
  const body = `<h1>Authorize ${escapeHtml(input.clientName)}</h1><p class="lead">Hi ${escapeHtml(input.userEmail)}, <strong>${escapeHtml(input.clientName)}</strong> is requesting access to your account.</p>
<ul>${items}</ul>${audience}${notice}<form method="post" action="${escapeHtml(input.action)}">${hidden('state', input.state)}${hidden('csrf', input.csrf)}
<button type="submit" name="action" value="accept">Accept</button><button type="submit" name="action" value="decline" class="secondary">Decline</button></form>`;
  return renderPage(`Authorize | ${input.clientName}`, body);
}

/** The page after /v2/logout without returnTo. */
export function signedOutPage(): Page {
  return renderPage('Signed out', '<h1>You are signed out</h1><p class="lead">You can close this window.</p>');
}
