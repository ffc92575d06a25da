/**
 * "Export code" on a run (issue #7): the same requests as a program — TypeScript (jose + fetch), Python
 * (PyJWT + requests) or bash (curl + openssl) — that rebuilds the request object and the client assertion
 * with fresh values and sends them (export/code/). Private keys are read from PEM files
 * and secrets from environment variables: the code holds neither, and the dialog says how to provide them.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { labelGap } from '../../i18n/format';
import type { CodeExport, CodeExportInput, CodeKeyInfo, CodeLanguage } from './export/code';
import { exportCode } from './export/code';
import type { FlowRun } from '../../../../shared/schemas/flows';
import type { KeySummary } from '../../../../shared/schemas/keys';
import { Banner } from '../../components/banner';
import { Button } from '../../components/button';
import { CodeBlock } from '../../components/code-block';
import { Dialog } from '../../components/dialog';
import { downloadText } from '../../components/download';
import { Tabs } from '../../components/tabs';
import { useAppStore } from '../../state/store';
import { kindLabel } from './flow-labels';

/** The vault key as the export needs it: name, kid (thumbprint) and the alg Parley signs with. */
function keyInfo(keys: KeySummary[], id: string | undefined): CodeKeyInfo | undefined {
  const key = id ? keys.find((k) => k.id === id) : undefined;
  return key ? { name: key.name, kid: key.thumbprint, ...(key.algs[0] ? { alg: key.algs[0] } : {}) } : undefined;
}

/** The dialog; render it only while it is open. */
export function ExportCodeDialog({ run, onClose }: { run: FlowRun; onClose: () => void }) {
  const { t } = useTranslation();
  const target = useAppStore((s) => s.flows.targets.find((x) => x.id === run.targetId));
  const keys = useAppStore((s) => s.keys.items);
  const keysLoaded = useAppStore((s) => s.keys.loaded);
  const [language, setLanguage] = useState<CodeLanguage>('typescript');

  // The kids come from the vault's key list; without it (a locked vault) the recorded JWT headers say them.
  useEffect(() => {
    if (!keysLoaded) void useAppStore.getState().loadKeys();
  }, [keysLoaded]);

  // Only the selected tab's panel is rendered, so only its program is generated.
  const panel = (lang: CodeLanguage) => {
    if (!target) return null;
    const jar = keyInfo(keys, target.jarKeyId);
    const clientAuth = keyInfo(keys, target.auth.keyId);
    return <CodePanel input={{ run, target, keys: { ...(jar ? { jar } : {}), ...(clientAuth ? { clientAuth } : {}) } }} language={lang} />;
  };

  return (
    <Dialog
      title={t('flows.codeExport.title', { kind: kindLabel(t, run.kind) })}
      description={t('flows.codeExport.intro')}
      onClose={onClose}
      size="lg"
      footer={
        <Button onClick={onClose} data-autofocus>
          {t('common.close')}
        </Button>
      }
    >
      {target ? (
        <div className="code-export">
          <Tabs
            label={t('flows.codeExport.languages')}
            selected={language}
            onSelect={setLanguage}
            tabs={[
              { id: 'typescript', label: t('flows.codeExport.typescript'), panel: panel('typescript') },
              { id: 'python', label: t('flows.codeExport.python'), panel: panel('python') },
              { id: 'shell', label: t('flows.codeExport.shell'), panel: panel('shell') },
            ]}
          />
        </div>
      ) : (
        <Banner tone="warning" role="status">
          {t('flows.codeExport.noTarget')}
        </Banner>
      )}
    </Dialog>
  );
}

function CodePanel({ input, language }: { input: CodeExportInput; language: CodeLanguage }) {
  const { t, i18n } = useTranslation();
  const gap = labelGap(i18n.language);
  const exported: CodeExport = exportCode(input, language);
  const onDownload = () => downloadText(exported.fileName, exported.code, exported.mimeType);
  return (
    <div className="stack-sm">
      <ol className="code-export-steps">
        {exported.keyFiles.length > 0 && (
          <li>
            {t('flows.codeExport.keysStep')}
            <ul className="code-export-keys">
              {exported.keyFiles.map((key) => (
                <li key={key.envVar}>
                  <code className="mono">{key.defaultFile}</code>{' '}
                  {key.role === 'jar'
                    ? t('flows.codeExport.jarKey', { name: key.name ?? '—', alg: key.alg, kid: key.kid ?? '—', variable: key.envVar })
                    : t('flows.codeExport.authKey', { name: key.name ?? '—', alg: key.alg, kid: key.kid ?? '—', variable: key.envVar })}
                </li>
              ))}
            </ul>
            <p className="muted">{t('flows.codeExport.passphrase')}</p>
          </li>
        )}
        {exported.secretVariable && <li>{t('flows.codeExport.secret', { variable: exported.secretVariable })}</li>}
        <li>
          {exported.setupCommand ? (
            <>
              {t('flows.codeExport.install')}
              {gap}
              <code className="mono">{exported.setupCommand}</code>
            </>
          ) : (
            t('flows.codeExport.needsTools')
          )}
        </li>
        <li>
          {t('flows.codeExport.run')}
          {gap}
          <code className="mono">{exported.runCommand}</code>
        </li>
      </ol>
      <CodeBlock
        title={exported.fileName}
        code={exported.code}
        copyLabel={t('flows.codeExport.copy')}
        maxHeight={380}
        actions={
          <Button size="sm" variant="ghost" onClick={onDownload}>
            {t('flows.codeExport.download')}
          </Button>
        }
      />
    </div>
  );
}

/** "Export code" on a finished run: opens the dialog. */
export function ExportCodeButton({ run }: { run: FlowRun }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" title={t('flows.codeExport.openHint')} onClick={() => setOpen(true)}>
        {t('flows.codeExport.open')}
      </Button>
      {open && <ExportCodeDialog run={run} onClose={() => setOpen(false)} />}
    </>
  );
}
