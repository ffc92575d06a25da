/**
 * Token names in the UI language (issue 18, "Mixed languages"): a JWT a flow step recorded is named from its
 * kind, in whole sentences per kind ("Ouvrir l’objet de requête dans Inspecter"), never by inserting the
 * core's English label into a translated sentence ("Ouvrir Request object dans Inspecter"). History recorded
 * before steps carried a kind still reads and is named the same way; the built-in target is named from the
 * catalogue too, not by the core's English string.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TFunction } from 'i18next';
import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { FLOW_JWT_KINDS, flowStepSchema } from '../../../../../shared/schemas/flows';
import { jwtsInText } from '../../../../../electron/core/flows/jwts-in';
import { jwtKindOfParameter } from '../../../../../renderer/src/features/flows/jwt-kind';
import { jwtTexts } from '../../../../../renderer/src/features/flows/jwt-texts';
import { targetName } from '../../../../../renderer/src/features/flows/flow-labels';
import { jwtsInUrl } from '../../../../../renderer/src/features/flows/sequence-model';
import { LANGUAGES } from '../../../../../shared/schemas/settings';

const localesDir = fileURLToPath(new URL('../../../../../renderer/src/i18n/locales/', import.meta.url));
const ENGLISH_LABELS = ['Request object', 'Client assertion', 'ID token', 'Access token', 'Logout token'];
// A compact JWS shape is all jwtsInText looks for; the token is not verified here.
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';

async function translators(): Promise<Record<string, TFunction>> {
  const i18n = createInstance();
  await i18n.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: JSON.parse(readFileSync(join(localesDir, `${l}.json`), 'utf8')) as object }])),
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
  });
  return Object.fromEntries(LANGUAGES.map((l) => [l, i18n.getFixedT(l)]));
}

describe('Token names › recorded kinds', () => {
  it('the core records a kind for every parameter it names, and none for another parameter', () => {
    const form = new URLSearchParams({ request: JWT, client_assertion: JWT, login_hint_token: JWT }).toString();
    expect(jwtsInText(form, 'form')).toEqual([
      { label: 'Request object', kind: 'requestObject', token: JWT },
      { label: 'Client assertion', kind: 'clientAssertion', token: JWT },
      { label: 'login_hint_token', token: JWT },
    ]);
    expect(jwtsInText(JSON.stringify({ access_token: JWT, id_token: JWT }), 'json').map((j) => j.kind)).toEqual(['accessToken', 'idToken']);
    expect(jwtsInUrl(`https://as.example/authorize?request=${JWT}`)[0]?.kind).toBe('requestObject');
  });

  it('a step stored before kinds existed still reads; an unknown kind is refused with the field named', () => {
    const step = { id: 's1', name: 'exchange', status: 'ok', jwts: [{ label: 'ID token', token: JWT }], serverTraceIds: [] };
    expect(flowStepSchema.parse(step).jwts).toEqual([{ label: 'ID token', token: JWT }]);
    expect(flowStepSchema.parse({ ...step, jwts: [{ label: 'ID token', kind: 'idToken', token: JWT }] }).jwts[0]?.kind).toBe('idToken');
    const bad = flowStepSchema.safeParse({ ...step, jwts: [{ label: 'x', kind: 'nonsense', token: JWT }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['jwts', 0, 'kind']);
  });
});

describe('Token names › a paused request’s parameters (step-through)', () => {
  it('the renderer names a parameter’s JWT with the kind the core records for it', async () => {
    const ja = (await translators())['ja-JP']!;
    const params = ['request', 'client_assertion', 'id_token', 'access_token', 'logout_token', 'assertion'];
    const recorded = jwtsInText(new URLSearchParams(params.map((p) => [p, JWT])).toString(), 'form');
    expect(params.map(jwtKindOfParameter)).toEqual(recorded.map((j) => j.kind));
    expect(jwtTexts(ja, { label: 'client_assertion', kind: jwtKindOfParameter('client_assertion') }).decoded).toBe('クライアントアサーション（デコード済み）');
  });
});

describe('Token names › in the UI language', () => {
  it('fr-CA and ja-JP name each kind in whole sentences, with Auth0’s terms and no English label', async () => {
    const t = await translators();
    const fr = jwtTexts(t['fr-CA']!, { label: 'Request object', kind: 'requestObject' });
    expect(fr.open).toBe('Ouvrir l’objet de requête dans l’écran Inspecter');
    expect(jwtTexts(t['fr-CA']!, { label: 'ID token', kind: 'idToken' }).copyHeader).toBe('Copier l’en-tête du jeton d’ID');
    expect(jwtTexts(t['fr-CA']!, { label: 'Client assertion', kind: 'clientAssertion' }).decoded).toBe('Assertion client (décodée)');
    expect(jwtTexts(t['ja-JP']!, { label: 'Request object', kind: 'requestObject' }).open).toBe('要求オブジェクトを［検査］画面で開く');
    expect(jwtTexts(t['ja-JP']!, { label: 'ID token', kind: 'idToken' }).name).toBe('IDトークン');
    for (const language of ['fr-CA', 'ja-JP']) {
      for (const kind of FLOW_JWT_KINDS) {
        const texts = jwtTexts(t[language]!, { label: 'whatever', kind });
        const all = [texts.name, texts.open, texts.decoded, texts.copyHeader, texts.copyPayload];
        for (const text of all) for (const english of ENGLISH_LABELS) expect(text.toLowerCase(), `${language} ${kind}`).not.toContain(english.toLowerCase());
        expect(texts.code).toBe(false);
      }
    }
  });

  it('history without a kind is named from its English label, the same as with one', async () => {
    const t = await translators();
    expect(jwtTexts(t['fr-CA']!, { label: 'Access token' })).toEqual(jwtTexts(t['fr-CA']!, { label: 'Access token', kind: 'accessToken' }));
    expect(jwtTexts(t['fr-CA']!, { label: 'Access token' }).open).toBe('Ouvrir le jeton d’accès dans l’écran Inspecter');
  });

  it('a JWT in a parameter Parley has no name for keeps the parameter’s name, as code', async () => {
    const t = await translators();
    const texts = jwtTexts(t['ja-JP']!, { label: 'login_hint_token' });
    expect(texts).toMatchObject({ name: 'login_hint_token', open: 'login_hint_tokenを［検査］画面で開く', code: true });
    expect(jwtTexts(t['en']!, { label: 'login_hint_token' }).open).toBe('Open login_hint_token in Inspect');
  });

  it('the built-in target is named in the UI language; a saved target keeps the name the user gave it', async () => {
    const t = await translators();
    const builtIn = { id: 'embedded', name: 'Embedded server (Management API client)' };
    expect(targetName(t['en']!, builtIn)).toBe('Embedded server (Management API client)');
    expect(targetName(t['fr-CA']!, builtIn)).toBe('Serveur intégré (client Management API)');
    expect(targetName(t['ja-JP']!, builtIn)).toBe('組み込みサーバー（Management APIクライアント）');
    expect(targetName(t['fr-CA']!, { id: 't-1', name: 'My tenant' })).toBe('My tenant');
  });
});
