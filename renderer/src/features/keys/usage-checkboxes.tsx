/** The three usages as labelled checkboxes in a fieldset. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { KEY_USAGES } from '../../../../shared/schemas/keys';
import type { KeyUsage } from '../../../../shared/schemas/keys';
import { CheckboxField } from '../../components/field';
import { usageHint, usageLabel } from './key-labels';

/** Props of UsageCheckboxes. */
export interface UsageCheckboxesProps {
  value: readonly KeyUsage[];
  onChange: (next: KeyUsage[]) => void;
  legend?: ReactNode;
  disabled?: boolean;
  busy?: boolean;
  /** Shows what each usage means under its label. */
  withHints?: boolean;
  /** Advises separate key pairs when both JAR and client authentication are ticked. */
  warnWhenBoth?: boolean;
  /** The usages this key type may have (all by default); the others are shown disabled. */
  allowed?: readonly KeyUsage[];
}

/** Usage checkboxes: "JAR signing", "Client authentication", "Other". */
export function UsageCheckboxes({
  value,
  onChange,
  legend,
  disabled,
  busy,
  withHints = true,
  warnWhenBoth = false,
  allowed = KEY_USAGES,
}: UsageCheckboxesProps) {
  const { t } = useTranslation();
  const toggle = (usage: KeyUsage, on: boolean) => {
    const next = on ? [...value, usage] : value.filter((u) => u !== usage);
    // Keep the schema's order whatever the click order.
    onChange(KEY_USAGES.filter((u) => next.includes(u)));
  };
  const both = value.includes('jar') && value.includes('client-auth');
  return (
    <fieldset className="fieldset" aria-busy={busy || undefined}>
      <legend className="field-label">{legend ?? t('keys.usage.legend')}</legend>
      <div className="checks">
        {KEY_USAGES.map((usage) => (
          <CheckboxField
            key={usage}
            label={usageLabel(t, usage)}
            hint={withHints ? usageHint(t, usage) : undefined}
            checked={value.includes(usage)}
            disabled={disabled || !allowed.includes(usage)}
            onChange={(e) => toggle(usage, e.target.checked)}
          />
        ))}
      </div>
      {both && warnWhenBoth && <p className="field-hint field-hint-warning">{t('keys.usage.separateAdvice')}</p>}
    </fieldset>
  );
}
