/**
 * The Compose screen: build a request object (JAR) or a client assertion (private_key_jwt) with a form and
 * a JSON editor kept in sync, see the embedded server's own rules applied as you type, and sign it with a
 * vault key. Templates follow Auth0's JAR and private_key_jwt pages. While the DPoP proof card holds a
 * proof, the client-assertion mode's Break it also offers the DPoP cases.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../../shared/jwt';
import { SelectField } from '../../components/field';
import { ScreenHeader } from '../../components/screen-header';
import { Tabs } from '../../components/tabs';
import { useAppStore } from '../../state/store';
import { applyTemplate, carryDraft } from './compose-actions';
import { templateLabel } from './compose-labels';
import type { ComposeMode, Draft, TemplateId } from './compose-model';
import { TEMPLATE_IDS } from './compose-model';
import { ClaimsForm } from './claims-form';
import { HeaderForm } from './header-form';
import { JsonEditor } from './json-editor';
import { LintPanel, useLint } from './lint-panel';
import { SetupCard } from './setup-card';
import { SignPanel } from './sign-panel';
import { DpopProofCard } from './dpop-proof-card';
import { BreakItPanel, useBreakIt } from './break-it-panel';
import type { ComposeTarget } from './use-compose-target';
import { useComposeTarget } from './use-compose-target';

/** The Compose screen. */
export function ComposeScreen() {
  const { t } = useTranslation();
  const mode = useAppStore((s) => s.compose.mode);
  const patch = useAppStore((s) => s.patchCompose);
  const [proofHeld, setProofHeld] = useState(false);

  useEffect(() => {
    const store = useAppStore.getState();
    void store.loadServerStatus();
    void store.loadClients();
  }, []);

  return (
    <div className="screen compose-screen">
      <ScreenHeader title={t('compose.title')} subtitle={t('compose.subtitle')}>
        <SelectField
          className="compose-templates"
          label={t('compose.templates.label')}
          value=""
          onChange={(e) => {
            const id = e.target.value as TemplateId;
            if ((TEMPLATE_IDS as readonly string[]).includes(id)) void applyTemplate(id);
          }}
        >
          <option value="">{t('compose.templates.choose')}</option>
          {TEMPLATE_IDS.map((id) => (
            <option key={id} value={id}>
              {templateLabel(t, id)}
            </option>
          ))}
        </SelectField>
      </ScreenHeader>
      <Tabs
        label={t('compose.modes.label')}
        selected={mode}
        onSelect={(next) => patch({ mode: next })}
        tabs={[
          { id: 'jar', label: t('compose.modes.jar'), panel: <Workspace proofHeld={proofHeld} /> },
          { id: 'assertion', label: t('compose.modes.assertion'), panel: <Workspace proofHeld={proofHeld} /> },
        ]}
      />
      <DpopProofCard onHeld={setProofHeld} />
    </div>
  );
}

/** The aim each mode's draft was last carried to (module state: it outlives the screen, like the drafts). */
const carriedTo = new Map<ComposeMode, ComposeTarget>();

/** The current mode's setup, forms, editors, lint and signing; `proofHeld`: the DPoP proof card holds a proof. */
function Workspace({ proofHeld }: { proofHeld: boolean }) {
  const { t } = useTranslation();
  const target = useComposeTarget();
  const { mode } = target;
  const draft = useAppStore((s) => s.compose.drafts[mode]);
  const endpoint = useAppStore((s) => (mode === 'jar' ? s.compose.jarEndpoint : s.compose.assertionEndpoint));
  const setDraft = useAppStore((s) => s.setDraft);
  const filling = useRef(false);

  // A mode starts from its template once the issuer is known.
  const ready = target.issuer !== '';
  useEffect(() => {
    if (draft || !ready || filling.current) return;
    filling.current = true;
    void applyTemplate(mode === 'jar' ? 'jar-code' : 'assertion').finally(() => {
      filling.current = false;
    });
  }, [draft, ready, mode]);

  // The lint checks the draft against the client's credentials (JAR-4, JAR-7, the credential's alg): load them.
  const clientId = target.clients.some((c) => c.client_id === target.clientId) ? target.clientId : null;
  useEffect(() => {
    if (clientId) void useAppStore.getState().loadCredentials(clientId);
  }, [clientId]);

  // A change of aim (client, issuer, profile, key) carries the draft along.
  useEffect(() => {
    const previous = carriedTo.get(mode);
    carriedTo.set(mode, target);
    const current = useAppStore.getState().compose.drafts[mode];
    if (!previous || !current) return;
    const carried = carryDraft(current, previous, target);
    if (carried !== current) useAppStore.getState().setDraft(mode, carried);
  }, [mode, target]);

  if (!draft) {
    return <p className="muted compose-waiting">{ready ? t('common.loading') : t('compose.waitingForIssuer')}</p>;
  }
  return <Editor mode={mode} draft={draft} target={target} endpoint={endpoint} proofHeld={proofHeld} onChange={(next) => setDraft(mode, next)} />;
}

function Editor({
  mode,
  draft,
  target,
  endpoint,
  proofHeld,
  onChange,
}: {
  mode: ComposeMode;
  draft: Draft;
  target: ComposeTarget;
  endpoint: 'authorize' | 'par' | 'token';
  proofHeld: boolean;
  onChange: (draft: Draft) => void;
}) {
  const { t } = useTranslation();
  const outcomes = useLint(mode, draft, target, endpoint);
  const breakIt = useBreakIt();
  const setHeader = (header: JsonObject) => onChange({ ...draft, header });
  const setPayload = (payload: JsonObject) => onChange({ ...draft, payload });
  const key = target.key;
  const onBreakIt = () => {
    if (key) void breakIt.run({ mode, draft, keyId: key.id, endpoint: endpoint === 'par' ? 'par' : 'authorize', clientId: target.clientId });
  };
  // The DPoP cases push a PAR request authenticated by this assertion, each with a mutated proof.
  const dpopOffered = mode === 'assertion' && proofHeld;
  const onBreakItDpop = () => {
    if (key) void breakIt.run({ mode: 'dpop', draft, keyId: key.id, endpoint: 'par', clientId: target.clientId });
  };
  return (
    <>
      <div className="compose-layout">
        <div className="compose-column">
          <SetupCard target={target} />
          <HeaderForm mode={mode} header={draft.header} target={target} onChange={setHeader} />
          <ClaimsForm mode={mode} payload={draft.payload} onChange={setPayload} />
        </div>
        <div className="compose-column">
          <section className="card compose-card" aria-labelledby="compose-json-title">
            <h2 id="compose-json-title" className="section-title">
              {t('compose.editor.title')}
            </h2>
            <p className="muted small">{t('compose.editor.hint')}</p>
            <JsonEditor label={t('compose.editor.header')} value={draft.header} onChange={setHeader} compact />
            <JsonEditor label={t('compose.editor.payload')} value={draft.payload} onChange={setPayload} />
          </section>
          <LintPanel outcomes={outcomes} />
          <SignPanel
            mode={mode}
            draft={draft}
            target={target}
            endpoint={endpoint}
            breakIt={{ busy: breakIt.states[mode].running, onRun: onBreakIt }}
            {...(dpopOffered ? { breakItDpop: { busy: breakIt.states.dpop.running, onRun: onBreakItDpop } } : {})}
          />
        </div>
      </div>
      <BreakItPanel mode={mode} draft={draft} state={breakIt.states[mode]} />
      {mode === 'assertion' && <BreakItPanel mode="dpop" draft={draft} state={breakIt.states.dpop} />}
    </>
  );
}
