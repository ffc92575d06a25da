/**
 * Taking an explanation out (issue 19): Copy as Markdown and Copy as plain text. The text is made by
 * shared/explain/text.ts from a real explanation (the shared lint of a real request object), in English
 * (the rules' own words, as the CLI prints them) and in the UI languages (the renderer's words, from the
 * real catalogues through a real i18next instance). Secrets planted in a rule's values never reach the text.
 */
import i18next from 'i18next';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { explainGroups, explainOutcomes } from '../../../../shared/explain/explain';
import { ENGLISH_WORDS, explanationText, sourceText } from '../../../../shared/explain/text';
import type { NonceEvent } from '../../../../shared/explain/dpop';
import { explainDpopProof } from '../../../../shared/explain/dpop';
import { lintRequestObject } from '../../../../shared/jwt';
import type { RuleOutcome } from '../../../../shared/jwt/rule';
import { redactText, REDACTED } from '../../../../shared/redact/secrets';
import en from '../../../../renderer/src/i18n/locales/en.json';
import frCA from '../../../../renderer/src/i18n/locales/fr-CA.json';
import jaJP from '../../../../renderer/src/i18n/locales/ja-JP.json';
import { RULE_TEXT_CATALOGUES } from '../../../../renderer/src/i18n/rule-text';
import { explanationWords } from '../../../../renderer/src/features/explain/explain-words';
import { jarContext } from '../jwt/helpers';

const LANGUAGES = { en, 'fr-CA': frCA, 'ja-JP': jaJP } as const;

/** A real i18next instance over the real catalogues, as the renderer has it. */
function translator(language: keyof typeof LANGUAGES): TFunction {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(LANGUAGES).map(([lng, translation]) => [lng, { translation }])),
    lng: language,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return instance.t;
}

/** A request object whose aud is another tenant's: JAR-11 fails, the other rules pass. */
function wrongAudience() {
  const { header, payload, ...context } = jarContext({ payload: { aud: 'https://other-tenant.example.com/' } });
  const outcomes = lintRequestObject({ header, payload }, context);
  return explainOutcomes(outcomes, { kind: 'requestObject' });
}

describe('Copy an explanation › English (the rules’ own words)', () => {
  const explanation = wrongAudience();
  const failing = explanation.items[0]!;
  const passed = explanation.items.filter((i) => i.passed);

  it('the lint really failed on JAR-11 only (the input is what the test says)', () => {
    expect(failing.id).toBe('JAR-11');
    expect(explanation.verdict.failed).toBe(1);
    expect(passed.length).toBeGreaterThan(5);
  });

  it('Markdown: the failing rule first with id, what happened, expected and actual, the source linked, the fix; then one line of passes', () => {
    const md = explanationText(explanation, { format: 'markdown', title: 'Pasted request' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Pasted request');
    expect(lines[2]).toBe(`**${explanation.verdict.text.replace(/([\\*_[\]<>#|])/g, '\\$1')}**`);
    expect(lines[4]).toBe(`1. **\`JAR-11\`**: ${failing.message}`);
    expect(md).toContain(`   - Expected: \`${failing.expected}\``);
    expect(md).toContain(`   - Actual: \`${failing.actual}\``);
    expect(md).toContain(`   - How to fix: ${failing.fix}`);
    // RFC 9101 is linked to its section at rfc-editor.org, as in the app.
    const link = failing.sourceParts.find((p) => p.href?.startsWith('https://'));
    expect(link).toBeDefined();
    expect(md).toContain(`[${link!.text}](${link!.href})`);
    // The passes: one line with the count and their ids, after the failures.
    const passLine = lines.find((l) => l.startsWith('Rules passed:'))!;
    expect(passLine).toContain(`Rules passed: ${passed.length} (`);
    for (const item of passed) expect(passLine).toContain(`\`${item.id}\``);
    expect(lines.indexOf(passLine)).toBeGreaterThan(lines.findIndex((l) => l.includes('How to fix')));
    // No pass is listed as a rule of its own.
    expect(md).not.toMatch(new RegExp(`^\\d+\\. \\*\\*\`${passed[0]!.id}\``, 'm'));
  });

  it('plain text: the same facts without markup, links written out', () => {
    const text = explanationText(explanation, { format: 'plain' });
    const lines = text.split('\n');
    expect(lines[0]).toBe(explanation.verdict.text);
    expect(lines[2]).toBe(`✗ JAR-11: ${failing.message}`);
    expect(text).toContain(`  Expected: ${failing.expected}`);
    expect(text).toContain(`  Actual: ${failing.actual}`);
    expect(text).toContain(`  How to fix: ${failing.fix}`);
    expect(text).toContain(`  Source: ${sourceText(failing.sourceParts, 'plain')}`);
    expect(sourceText(failing.sourceParts, 'plain')).toMatch(/RFC 9101 §[\d.]+ <https:\/\/www\.rfc-editor\.org\/rfc\/rfc9101/);
    expect(text).not.toMatch(/\*\*|`JAR|\]\(/);
    expect(lines.find((l) => l.startsWith('Rules passed:'))).toBe(`Rules passed: ${passed.length} (${[...new Set(passed.map((i) => i.id))].join(', ')})`);
  });

  it('a link into the app (a Parley rule) is left as its text: it means nothing in a ticket', () => {
    expect(sourceText([{ text: 'server-rules.md E-7', href: '#/explain?rule=E-7' }], 'markdown')).toBe('server-rules.md E-7');
    expect(sourceText([{ text: 'server-rules.md E-7', href: '#/explain?rule=E-7' }], 'plain')).toBe('server-rules.md E-7');
  });

  it('an explanation with no failure says so and lists only the passes', () => {
    const { header, payload, ...context } = jarContext();
    const ok = explainOutcomes(lintRequestObject({ header, payload }, context), { kind: 'requestObject' });
    const text = explanationText(ok, { format: 'plain' });
    expect(ok.verdict.failed).toBe(0);
    expect(text.split('\n')[0]).toBe(ok.verdict.text);
    expect(text).not.toContain('✗');
    expect(text).toContain(`Rules passed: ${ok.items.length}`);
  });
});

describe('Copy an explanation › in the UI language', () => {
  const explanation = wrongAudience();
  const failing = explanation.items[0]!;

  it('en: the renderer’s words are the screen’s (verdict from the catalogue, labels)', () => {
    const t = translator('en');
    const md = explanationText(explanation, { format: 'markdown', words: explanationWords(t, 'en') });
    expect(md).toContain(t('explain.verdict.failed', { rule: 'JAR-11', failed: 1, count: explanation.items.length }));
    expect(md).toContain(`   - Expected: \`${failing.expected}\``);
    expect(md).toContain(`Rules passed: ${explanation.verdict.passed}`);
  });

  it('fr-CA: the rule’s translated sentence and fix, French labels, the values unchanged', () => {
    const t = translator('fr-CA');
    const words = explanationWords(t, 'fr-CA');
    const text = explanationText(explanation, { format: 'plain', words });
    const rule = RULE_TEXT_CATALOGUES['fr-CA']!.rules['JAR-11']!;
    expect(text).toContain(`✗ JAR-11: ${rule.summary}`);
    // The expected value's fixed phrase is translated as on screen, the issuer in it unchanged.
    expect(words.value(failing.expected!)).toBe('https://tenant.example.com/ (ou un tableau qui la contient)');
    expect(text).toContain(`Attendu\u00a0: ${words.value(failing.expected!)}`);
    expect(text).toContain(`Obtenu\u00a0: ${failing.actual}`);
    expect(text).toContain(`${t('server.trace.fix')} ${rule.fix}`);
    expect(t('server.trace.fix')).toMatch(/^Comment corriger/);
    // The failure's own English sentence is kept as the server's words, after the translation.
    expect(text).toContain(`${t('server.trace.detail')} ${failing.message}`);
    expect(text).toContain(`Règles respectées\u00a0: ${explanation.verdict.passed}`);
    expect(text).not.toContain('How to fix');
    expect(text).not.toContain(failing.sentence);
  });

  it('ja-JP: Japanese labels with no gap, the rule’s Japanese sentence', () => {
    const t = translator('ja-JP');
    const words = explanationWords(t, 'ja-JP');
    const md = explanationText(explanation, { format: 'markdown', words });
    const rule = RULE_TEXT_CATALOGUES['ja-JP']!.rules['JAR-11']!;
    expect(md).toContain(`1. **\`JAR-11\`**: ${rule.summary}`);
    // A URL inside a Japanese sentence or value is kept as written (not percent-encoded by the redaction).
    expect(md).toContain(`   - 期待値：\`${words.value(failing.expected!)}\``);
    expect(words.value(failing.expected!)).toMatch(/^https:\/\/tenant\.example\.com\/（/);
    expect(md).toContain(`   - 修正方法：${rule.fix}`);
    expect(md).toContain(`合格したルール：${explanation.verdict.passed}件`);
    expect(md).not.toContain('Expected');
  });
});

describe('Copy an explanation › no secrets', () => {
  // An access token as a server would issue it (header.payload.signature); its signature is the secret part.
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: 'user-1', scope: 'openid' })).toString('base64url');
  const signature = 'c2lnbmF0dXJlLXRoYXQtaXMtYS1zZWNyZXQtYmVhcmVyLXBhcnQ';
  const accessToken = `${header}.${payload}.${signature}`;
  const planted = {
    clientSecret: 'planted-client-secret-7f3a',
    code: 'planted-authorization-code-91bd',
    refreshToken: 'planted-refresh-token-c04e',
    verifier: 'planted-code-verifier-5b2d1f0e9a8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2',
    bearer: 'planted-opaque-bearer-token',
  };
  const outcome = (id: string, fields: Partial<RuleOutcome>): RuleOutcome => ({
    id,
    passed: false,
    summary: `Rule ${id}.`,
    message: `Rule ${id} failed.`,
    source: 'RFC 6749 §4.1.3',
    fix: 'Fix it.',
    ...fields,
  });
  const explanation = explainGroups([
    {
      outcomes: [
        outcome('E-1', {
          expected: 'client_secret_post',
          actual: `client_id=app&client_secret=${planted.clientSecret}&grant_type=authorization_code&code=${planted.code}`,
        }),
        outcome('E-2', { actual: `https://app.example.com/callback?code=${planted.code}&state=xyz`, message: `The redirect carried ?code=${planted.code}.` }),
        outcome('E-3', { actual: `{"access_token":"${accessToken}","refresh_token":"${planted.refreshToken}","token_type":"Bearer"}` }),
        outcome('E-4', { actual: `Authorization: Bearer ${planted.bearer}`, expected: `code_verifier=${planted.verifier}` }),
        outcome('E-5', { passed: true, actual: accessToken }),
      ],
      subject: { kind: 'http', label: 'POST /oauth/token → 400' },
    },
  ]);

  for (const format of ['markdown', 'plain'] as const) {
    for (const language of ['en', 'fr-CA', 'ja-JP'] as const) {
      it(`${format}, ${language}: no client_secret, code, refresh token, verifier, bearer credential or access-token signature`, () => {
        const text = explanationText(explanation, { format, words: language === 'en' ? ENGLISH_WORDS : explanationWords(translator(language), language) });
        for (const secret of [...Object.values(planted), signature]) expect(text).not.toContain(secret);
        // What is not secret stays readable: the access token's claims, the other parameters.
        expect(text).toContain(`${header}.${payload}.`);
        expect(text).toContain('grant_type=authorization_code');
        expect(text).toContain('state=xyz');
        expect(text).toContain('[redacted]');
      });
    }
  }

  it('redactText keeps what is not a secret: response_type=code, error_code=, an unsigned token, Bearer [redacted]', () => {
    const text = 'response_type=code error_code=invalid_grant Bearer [redacted] eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. "code_challenge":"abc"';
    expect(redactText(text)).toBe(text);
  });

  it('redactText says what it removed (names only, never values)', () => {
    const removed: string[] = [];
    redactText(`client_secret=${planted.clientSecret} {"refresh_token": "${planted.refreshToken}"} ${accessToken}`, (name) => removed.push(name));
    expect(removed).toEqual(['client_secret', 'refresh_token', 'signature']);
    expect(redactText(`"password" : "hunter2-planted"`)).toBe(`"password" : "${REDACTED}"`);
  });
});

describe('Copy an explanation › DPoP: the htu lens, the clock line and the nonce history (issue 17)', () => {
  const TOKEN_URL = 'https://tenant.example.com/oauth/token';
  const NOW_S = 1_796_650_000;
  const ACCESS_TOKEN = 'planted-dpop-access-token-0c9e';
  /** A real proof (ES256, a key made now) for the token URL with a trailing slash, 10 minutes old. */
  async function staleSlashProof() {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const proof = await new SignJWT({ jti: 'copy-1', htm: 'POST', htu: `${TOKEN_URL}/`, iat: NOW_S - 600 })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(publicKey) })
      .sign(privateKey);
    const out = await explainDpopProof({
      proof,
      requestLine: `POST ${TOKEN_URL}`,
      accessToken: ACCESS_TOKEN,
      responseDate: new Date((NOW_S + 2) * 1000).toUTCString(),
      now: NOW_S,
    });
    if (!out.ok) throw new Error(out.message);
    return out.result.explanation;
  }
  const nonces: NonceEvent[] = [
    { kind: 'sent-without-proof', attempt: 1 },
    { kind: 'sent', attempt: 2 },
    { kind: 'challenge', attempt: 2, status: 400, nonce: 'nonce-A1' },
    { kind: 'sent', attempt: 3, nonce: 'nonce-A1' },
    { kind: 'rotation', attempt: 3, from: 'nonce-A1', to: 'nonce-B2' },
    { kind: 'answered', attempt: 3, status: 200 },
  ];

  it('the explanation of a pasted proof carries its lens and clock line (what the text is made from)', async () => {
    const explanation = await staleSlashProof();
    expect(explanation.items.filter((i) => i.status === 'failed').map((i) => i.id)).toEqual(expect.arrayContaining(['DPP-9', 'DPP-10']));
    expect(explanation.dpop?.lens).toMatchObject({ equal: false, differs: 'trailing-slash', cause: 'trailing-slash' });
    expect(explanation.dpop?.clock).toMatchObject({ position: 'too-old', delta: -600, measuredSkew: -602 });
  });

  it('English Markdown: the lens names the trailing slash and its cause, both URLs as code; the clock line has iat, server time, delta, window and skew; before the rules', async () => {
    const md = explanationText(await staleSlashProof(), { format: 'markdown', title: 'DPoP proof' });
    expect(md).toContain(
      '**htu lens**: The trailing slash differs. Usual cause: the same path with and without a final “/”; trailing slashes are significant.',
    );
    expect(md).toContain(`- URL the server computed: \`${TOKEN_URL}\``);
    expect(md).toContain(`- Proof’s htu: \`${TOKEN_URL}/\``);
    expect(md).toContain('- path — Differs: trailing slash (URL the server computed: `/oauth/token` · Proof’s htu: `/oauth/token/`)');
    expect(md).toContain('**Clock**: The proof is too old for the server’s window.');
    expect(md).toContain(`- Proof iat: \`${new Date((NOW_S - 600) * 1000).toISOString().replace('.000Z', 'Z')}\` (${NOW_S - 600})`);
    expect(md).toContain('- iat − server time: −600 s');
    expect(md).toContain('- Allowed window: 300 s before to 30 s after the server time');
    expect(md).toMatch(/- Measured skew: −602 s against the response Date \(`[\d-]+T[\d:]+Z`\)/);
    expect(md.indexOf('**htu lens**')).toBeLessThan(md.indexOf('`DPP-9`'));
    // The access token was hashed for ath, never written.
    expect(md).not.toContain(ACCESS_TOKEN);
  });

  it('plain text: the same views without markup; a step’s nonce history with the request sent without a proof flagged', () => {
    const explanation = { ...explainOutcomes([]), dpop: { nonces } };
    const text = explanationText(explanation, { format: 'plain' });
    expect(text).toContain(
      [
        'Nonce history',
        '  1. [No proof] Request 1 was sent without a DPoP proof.',
        '  2. Request 2 was sent with a proof without a nonce.',
        '  3. The server answered 400 with a nonce challenge, nonce nonce-A1.',
        '  4. Request 3 was sent with a proof carrying the nonce nonce-A1.',
        '  5. The server rotated its nonce from nonce-A1 to nonce-B2.',
        '  6. The server answered 200.',
      ].join('\n'),
    );
    const md = explanationText(explanation, { format: 'markdown' });
    expect(md).toContain('1. **No proof** Request 1 was sent without a DPoP proof.');
    expect(md).toContain('5. The server rotated its nonce from `nonce-A1` to `nonce-B2`.');
  });

  it('an explanation without DPoP views has no DPoP text', () => {
    const text = explanationText(wrongAudience(), { format: 'markdown' });
    expect(text).not.toMatch(/htu lens|Clock|Nonce history/);
  });

  it('the English words are the en catalogue’s: every lens, clock and nonce sentence equal to the screen’s', async () => {
    const screen = explanationWords(translator('en'), 'en').dpop;
    const explanation = await staleSlashProof();
    const plain = (t: string) => t;
    for (const events of [nonces]) for (const e of events) expect(ENGLISH_WORDS.dpop.nonce.event(e, plain)).toBe(screen.nonce.event(e, plain));
    const { lens, clock } = explanation.dpop!;
    for (const part of ['scheme', 'host', 'port', 'path', 'query', 'fragment'] as const)
      expect(ENGLISH_WORDS.dpop.lens.part(part)).toBe(screen.lens.part(part));
    for (const cause of ['proxy', 'path-prefix', 'default-port', 'trailing-slash', 'path-case', 'another-endpoint', 'another-host', 'not-a-url'] as const)
      expect(ENGLISH_WORDS.dpop.lens.cause(cause)).toBe(screen.lens.cause(cause));
    for (const l of [lens!, { ...lens!, equal: true }, { ...lens!, differs: 'port' as const }])
      expect(ENGLISH_WORDS.dpop.lens.verdict(l)).toBe(screen.lens.verdict(l));
    for (const row of lens!.rows) expect(ENGLISH_WORDS.dpop.lens.row(row, lens!)).toBe(screen.lens.row(row, lens!));
    expect(ENGLISH_WORDS.dpop.lens.row({ ...lens!.rows[0]!, ignored: true }, lens!)).toBe(screen.lens.row({ ...lens!.rows[0]!, ignored: true }, lens!));
    for (const position of ['inside', 'too-old', 'too-new'] as const)
      expect(ENGLISH_WORDS.dpop.clock.position({ ...clock!, position })).toBe(screen.clock.position({ ...clock!, position }));
    expect(ENGLISH_WORDS.dpop.clock.windowValue(1200, 30)).toBe(screen.clock.windowValue(1200, 30));
    expect(ENGLISH_WORDS.dpop.clock.skewValue('+3', 'D')).toBe(screen.clock.skewValue('+3', 'D'));
    expect(ENGLISH_WORDS.dpop.lens.defaultPortNote(':443')).toBe(screen.lens.defaultPortNote(':443'));
    for (const name of ['title', 'server', 'proof', 'none'] as const) expect(ENGLISH_WORDS.dpop.lens[name]).toBe(screen.lens[name]);
    for (const name of ['title', 'iat', 'serverTime', 'delta', 'window', 'skew', 'dateUnreadable'] as const)
      expect(ENGLISH_WORDS.dpop.clock[name]).toBe(screen.clock[name]);
    expect(ENGLISH_WORDS.dpop.nonce.title).toBe(screen.nonce.title);
    expect(ENGLISH_WORDS.dpop.nonce.flag).toBe(screen.nonce.flag);
  });

  it('fr-CA: the lens, the clock line and the nonce history in French, the values unchanged, no access token', async () => {
    const t = translator('fr-CA');
    const explanation = { ...(await staleSlashProof()) };
    explanation.dpop = { ...explanation.dpop, nonces };
    const text = explanationText(explanation, { format: 'plain', words: explanationWords(t, 'fr-CA') });
    expect(text).toContain('Loupe htu\u00a0: Différence\u00a0: barre oblique finale. Cause habituelle\u00a0: le même chemin avec et sans');
    expect(text).toContain(`  URL calculée par le serveur\u00a0: ${TOKEN_URL}`);
    expect(text).toContain('Horloge\u00a0: La preuve est trop ancienne pour la fenêtre du serveur.');
    expect(text).toMatch(/^ {2}iat − heure du serveur\u00a0: −600\s+s$/m);
    expect(text).toContain('Historique des nonces');
    expect(text).toContain('[Sans preuve] La requête 1 a été envoyée sans preuve DPoP.');
    expect(text).toMatch(/Le serveur a renouvelé son nonce\s: nonce-A1 puis nonce-B2\./);
    expect(text).not.toMatch(/htu lens|Usual cause|Nonce history/);
    expect(text).not.toContain(ACCESS_TOKEN);
  });

  it('ja-JP: the lens, the clock line and the nonce history in Japanese, full-width colons, no access token', async () => {
    const t = translator('ja-JP');
    const explanation = { ...(await staleSlashProof()) };
    explanation.dpop = { ...explanation.dpop, nonces };
    const md = explanationText(explanation, { format: 'markdown', words: explanationWords(t, 'ja-JP') });
    expect(md).toContain('**htuレンズ**：末尾のスラッシュが異なります。 よくある原因：末尾の「/」の有無だけが違う同じパス。');
    expect(md).toContain(`- サーバーが算出したURL：\`${TOKEN_URL}\``);
    expect(md).toContain('**時刻**：証明はサーバーの許容範囲より古すぎます。');
    expect(md).toContain('- 許容範囲：サーバー時刻の300秒前から30秒後まで');
    expect(md).toContain('**nonceの履歴**');
    expect(md).toContain('3. サーバーは400でnonceチャレンジを返しました（nonce「`nonce-A1`」）。');
    expect(md).not.toContain(ACCESS_TOKEN);
  });
});
