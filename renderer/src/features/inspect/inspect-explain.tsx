/**
 * Explain on the Inspect screen: the decoded token linted as the Lint tab has it (request object, client
 * assertion, ID or access token, with its profile), plus the Verify tab's verdict when there is one.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { TokenRole } from '../../../../shared/explain/explain';
import { explainLint } from '../../../../shared/explain/explain';
import type { LintKind } from '../../state/inspect-slice';
import { useAppStore } from '../../state/store';
import { ExplainButton } from '../explain/explain-view';
import { profileName } from '../explain/labels';
import type { DecodeOutcome } from '../../state/decode/decode-core';
import { lintOutcomes } from './lint-panel';

function kindName(t: TFunction, kind: LintKind): string {
  switch (kind) {
    case 'requestObject':
      return t('inspect.lint.kinds.requestObject');
    case 'clientAssertion':
      return t('inspect.lint.kinds.clientAssertion');
    case 'idToken':
      return t('inspect.lint.kinds.idToken');
    case 'accessToken':
      return t('inspect.lint.kinds.accessToken');
  }
}

/** The Explain button of the Inspect screen; disabled until a signed token is decoded. */
export function InspectExplainButton({ decoded }: { decoded: DecodeOutcome }) {
  const { t } = useTranslation();
  const lint = useAppStore((s) => s.inspect.lint);
  const title = t('explain.inspectTitle', { kind: kindName(t, lint.kind), profile: profileName(t, lint.profile) });
  const build = () => {
    const { inspect, server } = useAppStore.getState();
    const now = Math.floor(Date.now() / 1000);
    const outcomes = lintOutcomes(t, { token: inspect.token, decoded: inspect.decoded, lint: inspect.lint, serverIssuer: server.status?.issuer ?? null, now });
    const role: TokenRole = inspect.lint.kind;
    return explainLint(role, outcomes, inspect.verdict);
  };
  return <ExplainButton title={title} build={build} size="md" disabled={decoded.kind !== 'jws'} />;
}
