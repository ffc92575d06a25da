/**
 * The access token (for `ath`) and the server's nonce that a DPoP proof is checked against: one row, the same
 * in Explain's DPoP card and Compose's proof card.
 */
import { useTranslation } from 'react-i18next';
import { TextField } from '../../components/field';

export function DpopTokenNonceFields({
  token,
  onToken,
  nonce,
  onNonce,
}: {
  token: string;
  onToken: (value: string) => void;
  nonce: string;
  onNonce: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="inspect-form-row">
      <TextField
        label={t('dpopTools.explain.accessToken')}
        value={token}
        onChange={(e) => onToken(e.target.value)}
        type="password"
        className="inspect-grow"
        spellCheck={false}
        autoComplete="off"
        hint={t('dpopTools.explain.accessTokenHint')}
      />
      <TextField
        label={t('dpopTools.explain.nonce')}
        value={nonce}
        onChange={(e) => onNonce(e.target.value)}
        className="inspect-grow"
        spellCheck={false}
        autoComplete="off"
        hint={t('dpopTools.explain.nonceHint')}
      />
    </div>
  );
}
