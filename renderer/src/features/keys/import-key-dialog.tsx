/**
 * Import a key, a public key or a certificate: paste text or read a file (picked or dropped). The core
 * decides what the text is; its error message is shown as it is, because it says what failed to parse.
 */
import type { ChangeEvent, DragEvent } from 'react';
import { useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { KeyUsage } from '../../../../shared/schemas/keys';
import { cx } from '../../components/class-names';
import { TextAreaField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useSubmit } from '../../components/use-submit';
import { useAppStore } from '../../state/store';
import { MAX_NAME } from './generate-key-dialog';
import { UsageCheckboxes } from './usage-checkboxes';

/** The contract's bound on import text. */
const MAX_BYTES = 1_000_000;

/** The Import key dialog. */
export function ImportKeyDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const fileInputId = useId();
  const importKey = useAppStore((s) => s.importKey);
  const selectKey = useAppStore((s) => s.selectKey);
  const pushToast = useAppStore((s) => s.pushToast);
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [usages, setUsages] = useState<KeyUsage[]>([]);
  const [fileName, setFileName] = useState<string | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const { busy, error, run, clearError } = useSubmit();
  const [dragging, setDragging] = useState(false);

  const readFile = async (file: File) => {
    clearError();
    setInputError(null);
    if (file.size > MAX_BYTES) return setInputError(t('keys.import.tooLarge'));
    const content = await file.text();
    // A DER file read as text is garbage; say so instead of sending it.
    if (content.includes('\u0000')) return setInputError(t('keys.import.binary', { file: file.name }));
    setText(content);
    setFileName(file.name);
    if (!name.trim()) setName(file.name.replace(/\.[^.]+$/, '').slice(0, MAX_NAME));
  };

  const onFileChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void readFile(file);
    event.target.value = '';
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  const onSubmit = () => {
    clearError();
    if (!text.trim()) return setInputError(t('keys.import.empty'));
    if (new TextEncoder().encode(text).length > MAX_BYTES) return setInputError(t('keys.import.tooLarge'));
    return run(async () => {
      const trimmedName = name.trim();
      const result = await importKey({
        text,
        ...(trimmedName ? { name: trimmedName.slice(0, MAX_NAME) } : {}),
        ...(passphrase ? { passphrase } : {}),
        ...(usages.length > 0 ? { usages } : {}),
      });
      const message =
        result.action === 'paired-certificate'
          ? t('keys.import.pairedCertificate', { name: result.key.name })
          : result.action === 'added-private-key'
            ? t('keys.import.addedPrivateKey', { name: result.key.name })
            : t('keys.import.created');
      pushToast({ kind: 'success', message });
      selectKey(result.key.id);
      onClose();
    });
  };

  return (
    <FormDialog
      title={t('keys.import.title')}
      description={t('keys.import.intro')}
      submitLabel={t('keys.import.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={busy}
      error={error}
      size="lg"
    >
      <div
        className={cx('dropzone', dragging && 'is-dragging')}
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <TextAreaField
          label={t('keys.import.text')}
          hint={fileName ? t('keys.import.loadedFrom', { file: fileName }) : t('keys.import.textHint')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(null);
            setInputError(null);
          }}
          error={inputError}
          rows={8}
          spellCheck={false}
          autoComplete="off"
          className="mono-input"
          data-autofocus
        />
        <div className="dropzone-file">
          <input id={fileInputId} type="file" className="sr-only" onChange={onFileChange} />
          {/* One sentence with the button inside it, so each language orders its words (ja-JP ends with the verb). */}
          <span className="muted">
            <Trans
              i18nKey="keys.import.dropHint"
              t={t}
              components={{ choose: <label htmlFor={fileInputId} className="btn btn-secondary btn-sm file-label" /> }}
            />
          </span>
        </div>
      </div>
      <div className="grid-2">
        <TextField
          label={t('keys.import.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={MAX_NAME}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label={t('keys.import.passphrase')}
          hint={t('keys.import.passphraseHint')}
          type="password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          autoComplete="off"
        />
      </div>
      <UsageCheckboxes value={usages} onChange={setUsages} withHints={false} warnWhenBoth />
    </FormDialog>
  );
}
