/**
 * The Inspect screen: paste (or drop) a token, read its header and payload with every claim explained,
 * then verify its signature against a key source, lint it against a server profile, or compare it with
 * another token. `#/inspect?token=…` opens it prefilled (the Compose screen links here).
 */
import type { DragEvent } from 'react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { queryFromHash, useHash } from '../../app/route';
import { TextAreaField } from '../../components/field';
import { ScreenHeader } from '../../components/screen-header';
import { Tabs } from '../../components/tabs';
import { BIG_INPUT } from '../../state/inspect-slice';
import type { InspectTab } from '../../state/inspect-slice';
import { useAppStore } from '../../state/store';
import { ComparePanel } from './compare-panel';
import { MAX_INSPECT_BYTES } from '../../state/decode/decode-core';
import { DecodedView } from './decoded-view';
import { DpopInspectCard } from './dpop-card';
import { LintPanel } from './lint-panel';
import { InspectExplainButton } from './inspect-explain';
import { VerifyPanel } from './verify-panel';

/** The Inspect screen. */
export function InspectScreen() {
  const { t } = useTranslation();
  const token = useAppStore((s) => s.inspect.token);
  const decoded = useAppStore((s) => s.inspect.decoded);
  const decoding = useAppStore((s) => s.inspect.decoding);
  const tab = useAppStore((s) => s.inspect.tab);
  const setInspectToken = useAppStore((s) => s.setInspectToken);
  const setInspectTab = useAppStore((s) => s.setInspectTab);
  const pushToast = useAppStore((s) => s.pushToast);
  usePrefillFromHash();

  useEffect(() => {
    // The key sources Verify offers and the issuer Lint defaults to.
    const store = useAppStore.getState();
    if (!store.keys.loaded) void store.loadKeys();
    void store.loadServerStatus();
    void store.loadClients();
  }, []);

  const onDrop = (event: DragEvent<HTMLTextAreaElement>) => {
    const file = event.dataTransfer.files[0];
    if (!file) return; // dropped text: the textarea inserts it itself
    event.preventDefault();
    if (file.size > MAX_INSPECT_BYTES) {
      pushToast({ kind: 'error', message: t('inspect.input.fileTooLarge', { name: file.name }) });
      return;
    }
    file.text().then(
      (text) => setInspectToken(text),
      () => pushToast({ kind: 'error', message: t('inspect.input.fileUnreadable', { name: file.name }) }),
    );
  };

  return (
    <div className="screen inspect-screen">
      <ScreenHeader title={t('inspect.title')} subtitle={t('inspect.subtitle')}>
        <InspectExplainButton decoded={decoded} />
      </ScreenHeader>
      <div className="stack inspect-layout">
        <section className="card inspect-card" aria-labelledby="inspect-input-title">
          <h2 id="inspect-input-title" className="sr-only">
            {t('inspect.input.title')}
          </h2>
          <TextAreaField
            label={t('inspect.input.token')}
            value={token}
            onChange={(e) => setInspectToken(e.target.value)}
            onDragOver={(e) => {
              if (e.dataTransfer.types.includes('Files')) e.preventDefault();
            }}
            onDrop={onDrop}
            rows={5}
            className="mono-input inspect-token"
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="off"
            placeholder="eyJhbGciOi…"
            hint={t('inspect.input.hint')}
          />
        </section>
        <section className="card inspect-card" aria-labelledby="inspect-decoded-title">
          <h2 id="inspect-decoded-title" className="section-title">
            {t('inspect.decoded.title')}
          </h2>
          <DecodedView outcome={decoded} decoding={decoding} big={token.length > BIG_INPUT} />
        </section>
        <DpopInspectCard decoded={decoded} />
        <section className="card inspect-card" aria-label={t('inspect.tabs.label')}>
          <Tabs<InspectTab>
            label={t('inspect.tabs.label')}
            selected={tab}
            onSelect={setInspectTab}
            tabs={[
              { id: 'verify', label: t('inspect.tabs.verify'), panel: <VerifyPanel decoded={decoded} /> },
              { id: 'lint', label: t('inspect.tabs.lint'), panel: <LintPanel decoded={decoded} /> },
              { id: 'compare', label: t('inspect.tabs.compare'), panel: <ComparePanel decoded={decoded} /> },
            ]}
          />
        </section>
      </div>
    </div>
  );
}

/** Applies `?token=` from the hash once per distinct value, so editing the text afterwards is not undone. */
function usePrefillFromHash() {
  const hash = useHash();
  const applied = useRef<string | null>(null);
  const setInspectToken = useAppStore((s) => s.setInspectToken);
  const fromHash = queryFromHash(hash).get('token');
  useEffect(() => {
    if (fromHash === null || fromHash === applied.current) return;
    applied.current = fromHash;
    setInspectToken(fromHash);
  }, [fromHash, setInspectToken]);
}
