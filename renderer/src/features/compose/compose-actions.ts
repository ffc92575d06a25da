/**
 * The composer's actions that touch more than one thing at once: a template fills a draft from the aim,
 * and a change of aim (client, issuer, profile, key) carries the draft along.
 */
import type { SigningAlg } from '../../../../shared/schemas/keys';
import { useAppStore } from '../../state/store';
import type { ComposeMode, Draft, TemplateId } from './compose-model';
import {
  algChoice,
  assertionAudience,
  buildTemplate,
  generatePkce,
  nowSeconds,
  preferredAlg,
  retargetAudience,
  retargetClient,
  retargetRedirectUri,
  templateMode,
  withMember,
} from './compose-model';
import type { ComposeTarget } from './use-compose-target';
import { currentTarget } from './use-compose-target';

/** The `aud` a fresh draft of a mode gets for an aim. */
function defaultAudience(target: ComposeTarget, mode: ComposeMode): string {
  return mode === 'assertion' ? assertionAudience(target.issuer, target.profile) : target.issuer;
}

/** Fills a draft from a template, switching to its mode. `par-jar` generates a PKCE pair and keeps the verifier. */
export async function applyTemplate(id: TemplateId): Promise<void> {
  const mode = templateMode(id);
  const store = useAppStore.getState();
  store.patchCompose({ mode, ...(mode === 'jar' ? { jarEndpoint: id === 'par-jar' ? 'par' : 'authorize' } : {}) });
  let codeChallenge: string | undefined;
  if (id === 'par-jar') {
    const pkce = await generatePkce();
    codeChallenge = pkce.challenge;
    useAppStore.getState().patchCompose({ pkceVerifier: pkce.verifier });
  }
  const target = currentTarget(mode);
  const alg = preferredAlg(algChoice(target.key, target.profile, mode).allowed);
  const redirectUri = target.client?.callbacks[0];
  const draft = buildTemplate(id, {
    issuer: target.issuer,
    clientId: target.clientId,
    profile: target.profile,
    kid: target.key?.thumbprint,
    alg,
    now: nowSeconds(),
    ...(codeChallenge ? { codeChallenge } : {}),
    ...(redirectUri ? { redirectUri } : {}),
  });
  const state = useAppStore.getState();
  state.setDraft(mode, draft);
  state.setSigned(mode, null);
}

/**
 * Carries a draft from the previous aim to the new one: claims and header members that held the previous
 * default take the new one; anything the user typed stays. Returns the same draft when nothing changes.
 */
export function carryDraft(draft: Draft, previous: ComposeTarget, next: ComposeTarget): Draft {
  const mode = next.mode;
  let payload = retargetClient(draft.payload, previous.clientId, next.clientId);
  payload = retargetAudience(payload, defaultAudience(previous, mode), defaultAudience(next, mode));
  // Picking a client (or its registration arriving) fills its first callback; only request objects carry one.
  if (mode === 'jar' && next.client && next.client.callbacks !== previous.client?.callbacks)
    payload = retargetRedirectUri(payload, previous.client?.callbacks ?? [], next.client.callbacks);
  let header = draft.header;
  // kid: follows the key when it named the previous key (or was absent while there was none).
  const previousKid = previous.key?.thumbprint;
  const nextKid = next.key?.thumbprint;
  if (nextKid && nextKid !== previousKid && (header.kid === previousKid || header.kid === undefined)) header = withMember(header, 'kid', nextKid);
  // alg: kept when still allowed, else the preferred allowed one.
  const allowed = algChoice(next.key, next.profile, mode).allowed;
  const alg = header.alg;
  if ((previous.key?.id !== next.key?.id || previous.profile !== next.profile) && !allowed.includes(alg as SigningAlg)) {
    const preferred = preferredAlg(allowed);
    if (preferred) header = withMember(header, 'alg', preferred);
  }
  if (payload === draft.payload && header === draft.header) return draft;
  return { header, payload };
}
