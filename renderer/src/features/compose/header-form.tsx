/** The JOSE header form: alg (what the key can sign AND the profile accepts), typ and kid. */
import { useTranslation } from 'react-i18next';
import type { JsonObject } from '../../../../shared/jwt';
import { Button } from '../../components/button';
import { SelectField, TextField } from '../../components/field';
import type { ComposeMode } from './compose-model';
import { TYPS_BY_MODE, algChoice, claimText, withMember } from './compose-model';
import { profileLabel } from './compose-labels';
import type { ComposeTarget } from './use-compose-target';
import { formatList } from '../../i18n/list';

/** Props of HeaderForm. */
export interface HeaderFormProps {
  mode: ComposeMode;
  header: JsonObject;
  target: ComposeTarget;
  onChange: (header: JsonObject) => void;
}

/** The header fields. */
export function HeaderForm({ mode, header, target, onChange }: HeaderFormProps) {
  const { t, i18n } = useTranslation();
  const { allowed, hidden } = algChoice(target.key, target.profile, mode);
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const typ = typeof header.typ === 'string' ? header.typ : '';
  const typs = TYPS_BY_MODE[mode];
  const byKey = hidden.filter((h) => h.reason === 'key').map((h) => h.alg);
  const byProfile = hidden.filter((h) => h.reason === 'profile').map((h) => h.alg);
  const thumbprint = target.key?.thumbprint;
  const set = (name: string, value: unknown) => onChange(withMember(header, name, value));

  return (
    <section className="card compose-card" aria-labelledby="compose-header-title">
      <h2 id="compose-header-title" className="section-title">
        {t('compose.header.title')}
      </h2>
      <div className="compose-grid">
        <SelectField
          label="alg"
          value={alg}
          onChange={(e) => set('alg', e.target.value || undefined)}
          hint={
            <>
              {byKey.length > 0 && <span className="block">{t('compose.header.hiddenByKey', { algs: formatList(byKey, i18n.language) })}</span>}
              {byProfile.length > 0 && (
                <span className="block">
                  {t('compose.header.hiddenByProfile', { algs: formatList(byProfile, i18n.language), profile: profileLabel(t, target.profile) })}
                </span>
              )}
            </>
          }
          error={allowed.length === 0 ? t('compose.header.noAlg') : undefined}
        >
          {!allowed.includes(alg as never) && <option value={alg}>{alg ? t('compose.header.notAllowed', { alg }) : t('compose.absent')}</option>}
          {allowed.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <SelectField label="typ" value={typ} onChange={(e) => set('typ', e.target.value || undefined)}>
          {typ !== '' && !typs.includes(typ) && <option value={typ}>{typ}</option>}
          {typs.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
          <option value="">{t('compose.absent')}</option>
        </SelectField>
        <div className="compose-field-with-action compose-span-2">
          <TextField
            label="kid"
            className="mono-field"
            value={claimText(header.kid)}
            onChange={(e) => set('kid', e.target.value || undefined)}
            hint={thumbprint && header.kid !== thumbprint ? t('compose.header.kidDiffers') : t('compose.header.kidHint')}
            spellCheck={false}
          />
          {thumbprint && header.kid !== thumbprint && (
            <Button size="sm" onClick={() => set('kid', thumbprint)}>
              {t('compose.header.useThumbprint')}
            </Button>
          )}
        </div>
      </div>
    </section>
  );
}
