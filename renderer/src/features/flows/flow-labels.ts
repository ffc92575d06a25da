/** Words for flow kinds, step names and statuses. */
import type { TFunction } from 'i18next';
import type { FlowAuthMethod, FlowKind, FlowRun, FlowStep, FlowStepName } from '../../../../shared/schemas/flows';
import { BUILT_IN_TARGET_ID } from './target-form';

/** The kinds offered, in the order of the Flow kind select. */
export const FLOW_KINDS: readonly FlowKind[] = ['jar', 'par', 'par+jar', 'plain', 'client_credentials'];

/** The client authentication methods offered for a target. */
export const AUTH_METHODS: readonly FlowAuthMethod[] = ['private_key_jwt', 'client_secret_post', 'client_secret_basic', 'none'];

/** Whether a value is a flow kind. */
export function isFlowKind(value: string): value is FlowKind {
  return (FLOW_KINDS as readonly string[]).includes(value);
}

/** Whether a value is an auth method. */
export function isAuthMethod(value: string): value is FlowAuthMethod {
  return (AUTH_METHODS as readonly string[]).includes(value);
}

/** A target's name: the built-in target's from the catalogue (the core names it in English), a saved one's as the user typed it. */
export function targetName(t: TFunction, target: { id: string; name: string }): string {
  return target.id === BUILT_IN_TARGET_ID ? t('flows.target.builtInName') : target.name;
}

/** A flow kind in words. */
export function kindLabel(t: TFunction, kind: FlowKind): string {
  switch (kind) {
    case 'jar':
      return t('flows.kinds.jar');
    case 'par':
      return t('flows.kinds.par');
    case 'par+jar':
      return t('flows.kinds.parJar');
    case 'plain':
      return t('flows.kinds.plain');
    case 'client_credentials':
      return t('flows.kinds.clientCredentials');
  }
}

/** An auth method in words. */
export function authMethodLabel(t: TFunction, method: FlowAuthMethod): string {
  switch (method) {
    case 'private_key_jwt':
      return t('flows.target.methods.privateKeyJwt');
    case 'client_secret_post':
      return t('flows.target.methods.secretPost');
    case 'client_secret_basic':
      return t('flows.target.methods.secretBasic');
    case 'none':
      return t('flows.target.methods.none');
  }
}

/** A step name in words (the protocol names stay recognisable in every language). */
export function stepLabel(t: TFunction, name: FlowStepName): string {
  switch (name) {
    case 'discover':
      return t('flows.steps.discover');
    case 'build':
      return t('flows.steps.build');
    case 'push':
      return t('flows.steps.push');
    case 'authorize':
      return t('flows.steps.authorize');
    case 'callback':
      return t('flows.steps.callback');
    case 'exchange':
      return t('flows.steps.exchange');
    case 'verify':
      return t('flows.steps.verify');
    case 'refresh':
      return t('flows.steps.refresh');
  }
}

/** A step status in words. */
export function stepStatusLabel(t: TFunction, status: FlowStep['status']): string {
  switch (status) {
    case 'pending':
      return t('flows.stepStatus.pending');
    case 'running':
      return t('flows.stepStatus.running');
    case 'ok':
      return t('flows.stepStatus.ok');
    case 'failed':
      return t('flows.stepStatus.failed');
    case 'cancelled':
      return t('flows.stepStatus.cancelled');
  }
}

/** A run status in words. */
export function runStatusLabel(t: TFunction, status: FlowRun['status']): string {
  switch (status) {
    case 'waiting-for-browser':
      return t('flows.runStatus.waiting');
    case 'paused':
      return t('flows.runStatus.paused');
    case 'running':
      return t('flows.runStatus.running');
    case 'succeeded':
      return t('flows.runStatus.succeeded');
    case 'failed':
      return t('flows.runStatus.failed');
    case 'cancelled':
      return t('flows.runStatus.cancelled');
  }
}

/** The badge tone of a status. */
export function statusTone(status: FlowStep['status'] | FlowRun['status']): 'neutral' | 'accent' | 'danger' | 'success' | 'warning' {
  if (status === 'ok' || status === 'succeeded') return 'success';
  if (status === 'failed') return 'danger';
  if (status === 'running' || status === 'waiting-for-browser') return 'accent';
  if (status === 'cancelled' || status === 'paused') return 'warning';
  return 'neutral';
}

/** A loopback redirect URI on a random port from 47800 (RFC 8252 §7.3). */
export function defaultRedirectUri(random: () => number = Math.random): string {
  return `http://127.0.0.1:${47800 + Math.floor(random() * 1000)}/callback`;
}

/** A new target id. */
export function newTargetId(random: () => number = Math.random): string {
  return `t-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
