/**
 * Sentences that hold a list or a token name (issue 18, "Mixed languages"): lists are joined by
 * Intl.ListFormat in the UI language (never ", " nor a catalogue " and "), and Explain's "Detected: …"
 * is a whole sentence per case, so French says « un corps PAR contenant une assertion client et un objet de
 * requête » rather than « contenant : Assertion client et Objet de requête ».
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TFunction } from 'i18next';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { parsePasted } from '../../../../../shared/explain/paste';
import type { PastedInput } from '../../../../../shared/explain/paste';
import { detectedText } from '../../../../../renderer/src/features/explain/labels';
import { formatList } from '../../../../../renderer/src/i18n/list';
import { LANGUAGES } from '../../../../../shared/schemas/settings';

const localesDir = fileURLToPath(new URL('../../../../../renderer/src/i18n/locales/', import.meta.url));
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhIn0.c2ln';

async function translator(language: string): Promise<TFunction> {
  const i18n = createInstance();
  await i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(localesDir, `${l}.json`), 'utf8')) as object }])),
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  return i18n.getFixedT(language);
}

function pasted(text: string): PastedInput {
  const parsed = parsePasted(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.input;
}

describe('Lists in the UI language', () => {
  it('joins with the language’s own conjunction and separators', () => {
    expect(formatList(['JAR signing', 'Client authentication'], 'en')).toBe('JAR signing and Client authentication');
    expect(formatList(['a', 'b', 'c'], 'fr-CA')).toBe('a, b et c');
    expect(formatList(['JAR署名', 'クライアント認証'], 'ja-JP')).toBe('JAR署名、クライアント認証');
  });
});

describe('Explain › what was pasted, in one sentence', () => {
  it('fr-CA names the tokens in the sentence, with articles and no second colon or capitals', async () => {
    const t = await translator('fr-CA');
    const both = pasted(
      new URLSearchParams({
        client_id: 'a',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: JWT,
        request: JWT,
      }).toString(),
    );
    expect(detectedText(t, both)).toBe('Détecté\u00a0: un corps PAR contenant une assertion client et un objet de requête.');
    expect(detectedText(t, pasted(`https://tenant.example/authorize?client_id=a&request=${JWT}`))).toBe(
      'Détecté\u00a0: une URL d’autorisation contenant un objet de requête.',
    );
    expect(detectedText(t, pasted(JWT), 'clientAssertion')).toBe('Détecté\u00a0: un JWT, expliqué en tant qu’assertion client.');
  });

  it('ja-JP and English likewise', async () => {
    const ja = await translator('ja-JP');
    const en = await translator('en');
    const body = pasted(new URLSearchParams({ client_id: 'a', request: JWT }).toString());
    expect(detectedText(ja, body)).toBe('検出：要求オブジェクトを含むPAR本文。');
    expect(detectedText(en, body)).toBe('Detected: a PAR body carrying a request object.');
  });
});
