/**
 * Generate a key pair in the vault. The dialog closes as soon as the request is sent: RSA 4096 takes
 * seconds, and the user keeps working while the list and the sidebar show progress from `jobs.progress`.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EC_CURVES, OKP_CURVES, RSA_SIZES } from '../../../../shared/schemas/keys';
import type { KeySpec, KeyUsage } from '../../../../shared/schemas/keys';
import { SelectField, TextField } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { describeError } from '../../i18n/errors';
import { useAppStore } from '../../state/store';
import { proposedKeyName, specLabel, usagesFor } from './key-labels';
import { UsageCheckboxes } from './usage-checkboxes';

/** Every spec offered, with a stable option value. */
const SPECS: { value: string; spec: KeySpec }[] = [
  ...RSA_SIZES.map((modulusLength) => ({ value: `RSA-${modulusLength}`, spec: { kty: 'RSA', modulusLength } as const })),
  ...EC_CURVES.map((crv) => ({ value: `EC-${crv}`, spec: { kty: 'EC', crv } as const })),
  ...OKP_CURVES.map((crv) => ({ value: `OKP-${crv}`, spec: { kty: 'OKP', crv } as const })),
];

let generationCount = 0;

/** Longest key name the contract accepts. */
export const MAX_NAME = 100;

/** The Generate key dialog. */
export function GenerateKeyDialog({ onClose, initialUsages = [] }: { onClose: () => void; initialUsages?: KeyUsage[] }) {
  const { t } = useTranslation();
  const generateKey = useAppStore((s) => s.generateKey);
  const addPending = useAppStore((s) => s.addPendingGeneration);
  const removePending = useAppStore((s) => s.removePendingGeneration);
  const pushToast = useAppStore((s) => s.pushToast);
  const selectKey = useAppStore((s) => s.selectKey);
  const [typedName, setTypedName] = useState<string | null>(null);
  const [specValue, setSpecValue] = useState('RSA-2048');
  const [chosenUsages, setUsages] = useState<KeyUsage[]>(initialUsages);
  const [nameError, setNameError] = useState<string | null>(null);

  const spec = (SPECS.find((s) => s.value === specValue) ?? SPECS[0])!.spec;
  // Usages the type cannot have (JAR or client authentication for Ed25519) are dropped, not sent to be refused.
  const allowedUsages = usagesFor(spec.kty);
  const usages = chosenUsages.filter((u) => allowedUsages.includes(u));
  // The proposed name follows the type and usages until the user types one of their own.
  const [today] = useState(() => new Date());
  const name = typedName ?? proposedKeyName(t, spec, usages, today);
  const specHint =
    spec.kty === 'EC'
      ? t('keys.generate.ecHint')
      : spec.kty === 'OKP'
        ? t('keys.generate.okpHint')
        : spec.modulusLength === 4096
          ? t('keys.generate.slowHint')
          : t('keys.generate.rsaHint');

  const onSubmit = () => {
    const trimmed = name.trim();
    if (!trimmed) return setNameError(t('keys.name.required'));
    if (trimmed.length > MAX_NAME) return setNameError(t('keys.name.tooLong', { count: MAX_NAME }));
    const pendingId = `generation-${++generationCount}`;
    addPending({ id: pendingId, name: trimmed, spec });
    onClose();
    generateKey({ name: trimmed, spec, usages })
      .then((key) => {
        pushToast({ kind: 'success', message: t('keys.generate.done', { type: specLabel(t, spec) }) });
        if (!useAppStore.getState().keys.selectedId) selectKey(key.id);
      })
      .catch((e: unknown) => {
        const { message, detail } = describeError(t, e);
        pushToast({ kind: 'error', message: t('keys.generate.failed'), detail: detail ? `${message} ${detail}` : message });
      })
      .finally(() => removePending(pendingId));
  };

  return (
    // Never busy, and no error to show here: the dialog closes as the generation starts (a toast says how it ended).
    <FormDialog
      title={t('keys.generate.title')}
      description={t('keys.generate.intro')}
      submitLabel={t('keys.generate.submit')}
      onSubmit={onSubmit}
      onClose={onClose}
      busy={false}
      error={null}
    >
      <TextField
        label={t('keys.name.label')}
        value={name}
        onChange={(e) => {
          setTypedName(e.target.value);
          setNameError(null);
        }}
        placeholder={t('keys.name.placeholder')}
        maxLength={MAX_NAME}
        error={nameError}
        required
        autoComplete="off"
        spellCheck={false}
      />
      <SelectField label={t('keys.generate.type')} value={specValue} onChange={(e) => setSpecValue(e.target.value)} hint={specHint}>
        {SPECS.map((s) => (
          <option key={s.value} value={s.value}>
            {specLabel(t, s.spec)}
          </option>
        ))}
      </SelectField>
      <UsageCheckboxes value={usages} onChange={setUsages} allowed={allowedUsages} warnWhenBoth />
    </FormDialog>
  );
}
