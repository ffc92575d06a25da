/**
 * One term per concept (shared/design/i18n-terminology.md §1-§3, issue 18): Auth0's own fr-CA and ja-JP
 * terms where its localized pages give them, one chosen term where they don't. Each row forbids the variants
 * the review found, in the UI catalogue and in the rule-text catalogue alike, since both show on one screen.
 * `was` is the review's "current" text: the pattern must catch it (so a row cannot silently match nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const i18nDir = fileURLToPath(new URL('../../../../../renderer/src/i18n/', import.meta.url));

interface Forbidden {
  concept: string;
  /** The one term to use. */
  use: string;
  pattern: RegExp;
  /** A text the review found (the old wording), which the pattern must match. */
  was: string;
}

const FORBIDDEN: Record<'fr-CA' | 'ja-JP', Forbidden[]> = {
  'fr-CA': [
    {
      concept: 'Authorization Requests',
      use: 'demande d’autorisation',
      pattern: /requête d['’]autorisation/i,
      was: '/oauth/par (requête d’autorisation poussée)',
    },
    { concept: 'Expiration Date', use: 'Date d’expiration', pattern: /échéance/i, was: 'Date d’échéance' },
    { concept: 'Private Key JWT', use: 'clé privée JWT', pattern: /Private Key JWT/i, was: 'Assertion client Private Key JWT' },
    { concept: 'Auth0 Dashboard', use: 'Auth0 Dashboard', pattern: /Dashboard d['’]Auth0/i, was: 'dans le Dashboard d’Auth0' },
    { concept: 'Management API (no article)', use: 'Management API', pattern: /\b(?:la|le|sa|l['’])\s?Management API/i, was: 'sa Management API n’a donc pas' },
    {
      concept: 'client credentials (the grant)',
      use: 'identifiants client',
      pattern: /Client Credentials|jeton client-credentials/i,
      was: 'Activer Client Credentials',
    },
    { concept: 'client assertion', use: 'assertion client', pattern: /assertions? du client/i, was: 'signe les assertions du client' },
    { concept: 'ID token', use: 'jeton d’ID', pattern: /jetons? d['’]identité/i, was: 'jeton d’identité' },
    { concept: 'core (of the app)', use: 'noyau', pattern: /\bcœur\b/i, was: 'le cœur n’a donné aucune raison' },
    { concept: 'enter (a value)', use: 'Entrez', pattern: /\bSaisiss/i, was: 'Saisissez l’URL de l’émetteur.' },
    { concept: 'RFC (feminine)', use: 'La RFC', pattern: /\b(?:Le|du) RFC\b/, was: 'Le RFC 7523 exige' },
    { concept: 'make expired', use: 'Faire expirer', pattern: /Rendre expiré/i, was: 'Rendre expiré' },
    { concept: 'the tour offer (gender-neutral)', use: 'Vous découvrez Parley?', pattern: /Nouveau dans Parley/i, was: 'Nouveau dans Parley?' },
    { concept: 'what to compose', use: 'Élément à composer', pattern: /Quoi composer/i, was: 'Quoi composer' },
    // §3 screen references: a Parley screen is "l’écran X", a tab "l’onglet X", a button or option « X ».
    {
      concept: 'a Parley screen as a place',
      use: 'dans l’écran Composer',
      pattern: /\b(?:dans|depuis|sur|par|décode|à) (?:les )?(?:Composer|Inspecter|Expliquer|Flux|Serveur|Clés|Paramètres)\b/,
      was: 'signez-la dans Composer avec une clé du coffre',
    },
    {
      concept: 'a Parley screen (one preposition)',
      use: 'dans l’écran Serveur',
      pattern: /(?:^|\s)à l’écran (?:Composer|Inspecter|Expliquer|Flux|Serveur|Clés|Paramètres)\b/,
      was: 'l’utilisateur de démonstration affiché à l’écran Serveur',
    },
    {
      concept: 'a Parley screen as the subject',
      use: 'l’écran Inspecter lit',
      pattern: /(?<!écran )\b(?:Inspecter|Expliquer|Composer) (?:lit|vérifie|décode|applique)\b/,
      was: '{{name}} dépasse 1 Mo; Inspecter lit les jetons d’au plus 1 Mo.',
    },
    {
      concept: 'a place in Parley (screen, then tab)',
      use: 'dans l’onglet Journaux de l’écran Serveur',
      pattern: /\b(?:Serveur|Clés|Paramètres) [›→]/,
      was: 'ouvrez la requête dans Serveur › Journaux',
    },
    {
      concept: 'a button or option named in a sentence',
      use: 'cliquez sur « Étape suivante »',
      pattern:
        /\b(?:[Cc]ochez|choisissez|cliquez sur) (?!«)[A-ZÉ]|\b(?:avec|utilisez) (?:Étape suivante|Vérifier|Comparer|Maintenant)\b|(?<=[.:;] )Étape suivante\b|authentification Aucune/,
      was: 'Rien n’a encore été envoyé. Étape suivante ouvre la page de connexion.',
    },
  ],
  'ja-JP': [
    { concept: 'request (Auth0: 要求)', use: '要求', pattern: /リクエスト/, was: '/oauth/par（プッシュ型認可リクエスト）' },
    { concept: 'credential', use: '資格情報', pattern: /認証情報/, was: '期限切れの認証情報を再現します' },
    {
      concept: 'client credentials',
      use: 'クライアント資格情報',
      pattern: /クライアントクレデンシャル|Client Credentials|client-credentialsトークン/i,
      was: 'クライアントクレデンシャル',
    },
    { concept: 'Auth0 Dashboard', use: 'Auth0 Dashboard', pattern: /Auth0\s?のダッシュボード/, was: 'Auth0のダッシュボード' },
    { concept: 'Private Key JWT', use: '秘密鍵JWT', pattern: /Private Key JWT/i, was: 'Private Key JWT' },
    { concept: 'Expiration Date', use: '有効期限', pattern: /有効期限日/, was: '有効期限日' },
    { concept: 'ID token', use: 'IDトークン', pattern: /ID トークン/, was: 'ID トークン' },
    { concept: 'lint', use: 'ルール検査', pattern: /(?<!プ)リント/, was: '説明 · {{step}}（リント、{{profile}}プロファイル）' },
    {
      concept: 'Break it (a screen action, quoted)',
      use: '「壊してみる」',
      pattern: /(?<!「)壊してみる(?=[をがはでにの])/,
      was: '壊してみるを実行できませんでした',
    },
    {
      concept: 'screens by their Japanese name in ［ ］',
      use: '［作成］画面',
      pattern: /\b(?:Compose|Inspect|Explain|Flows)\s?(?:で|画面|の画面)/,
      was: 'Composeで保管庫の鍵を使って',
    },
    { concept: 'sign the user in (no あなた)', use: 'ユーザーのサインインを処理し', pattern: /あなたをサインイン/, was: 'あなたをサインインさせ' },
    { concept: 'assign (button)', use: '割り当て', pattern: /^割り当てる$/, was: '割り当てる' },
    { concept: 'start the tour', use: 'ツアーを開始', pattern: /ツアーを始める/, was: 'ツアーを始める' },
    // §3 screen references, as the seed writes them: ［X］画面, ［X］タブ, ［X］ for a button or option.
    {
      concept: 'a Parley screen',
      use: '［フロー］画面',
      pattern: /(?<!［)(?:鍵|サーバー|設定|作成|検査|フロー|説明)画面/,
      was: 'フロー画面で保存されたターゲットはまだありません。',
    },
    {
      concept: 'a tab',
      use: '［資格情報］タブ',
      pattern: /「[^」]*」タブ|(?<!［)(?:資格情報|設定|API|アプリケーション|ユーザー|ログ)タブ/,
      was: '先に「資格情報」タブで別の認証方法を選択してください。',
    },
    {
      concept: 'a place in Parley (screen, then tab or button)',
      use: '［サーバー］画面の［ログ］タブ',
      pattern: /「[^」]*[›→>][^」]*」|(?<!［)(?:サーバー|鍵|設定) ?[›→]/,
      was: '各秘密鍵を「鍵 → エクスポート → 秘密鍵」でエクスポートし',
    },
  ],
};

type Flat = Map<string, string>;

function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}.${k}`, out);
  return out;
}

/** Every text of a language: the UI catalogue and the rule texts. */
function texts(language: string): Flat {
  const out: Flat = new Map();
  for (const file of [`locales/${language}.json`, `rules/${language}.json`])
    flatten(JSON.parse(readFileSync(join(i18nDir, file), 'utf8')) as unknown, file, out);
  return out;
}

describe('Terminology › one term per concept (shared/design/i18n-terminology.md)', () => {
  for (const [language, rows] of Object.entries(FORBIDDEN)) {
    const all = texts(language);

    it(`${language}: reads both catalogues (the scan itself works)`, () => {
      expect([...all.keys()].some((k) => k.startsWith('locales/'))).toBe(true);
      expect([...all.keys()].some((k) => k.startsWith('rules/'))).toBe(true);
    });

    for (const row of rows) {
      it(`${language}: ${row.concept} is "${row.use}", never ${String(row.pattern)}`, () => {
        expect(row.pattern.test(row.was)).toBe(true);
        expect([...all].filter(([, v]) => row.pattern.test(v)).map(([k, v]) => `${k}: ${v}`)).toEqual([]);
      });
    }
  }

  it('ja-JP: a button, option or screen named in a sentence is in ［ ］, never 「 」 (「 」 quotes values and names)', () => {
    const ja = texts('ja-JP');
    // The UI's own labels: short catalogue texts without placeholders (button, tab, option and screen names).
    const labels = new Set([...ja].filter(([k, v]) => k.startsWith('locales/') && v.length <= 20 && !v.includes('{{')).map(([, v]) => v));
    // The terminology file keeps 「壊してみる」 for the Break it action (§3, compose.breakIt.failed).
    const quotedLabels = (text: string) => [...text.matchAll(/「([^」]+)」/g)].map((m) => m[1]!).filter((q) => labels.has(q) && q !== '壊してみる');
    expect(quotedLabels('まだ何も送信していません。「次のステップ」で送信します。')).toEqual(['次のステップ']);
    expect([...ja].filter(([, v]) => quotedLabels(v).length > 0).map(([k, v]) => `${k}: ${v}`)).toEqual([]);
  });

  it("dialog titles that assign a credential say so in Auth0's words (資格情報を割り当てる / attribuer un identifiant)", () => {
    const fr = texts('fr-CA');
    const ja = texts('ja-JP');
    // Every key the renderer passes as a dialog's title.
    const titleKeys = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx$/.test(entry.name)) for (const m of readFileSync(path, 'utf8').matchAll(/\btitle=\{t\('([\w.]+)'/g)) titleKeys.add(m[1]!);
      }
    };
    walk(fileURLToPath(new URL('../../../../../renderer/src/features/', import.meta.url)));
    expect(titleKeys.has('server.assign.title')).toBe(true);
    expect(titleKeys.has('server.appSettings.jarAssignTitle')).toBe(true);
    const assigning = [...titleKeys].filter((key) => /を割り当て/.test(ja.get(`locales/ja-JP.json.${key}`) ?? ''));
    expect(assigning.sort()).toEqual(['server.appSettings.jarAssignTitle', 'server.assign.title']);
    for (const key of assigning) {
      expect(ja.get(`locales/ja-JP.json.${key}`), key).toMatch(/資格情報.*を割り当てる$/);
      expect(fr.get(`locales/fr-CA.json.${key}`), key).toMatch(/^Attribuer (?:un |l’)identifiant/);
    }
  });

  it('the terms the review named, key by key', () => {
    const fr = texts('fr-CA');
    const ja = texts('ja-JP');
    expect(fr.get('locales/fr-CA.json.server.expiry.date')).toBe('Date d’expiration');
    expect(fr.get('locales/fr-CA.json.flows.target.methods.privateKeyJwt')).toBe('Clé privée JWT');
    expect(fr.get('locales/fr-CA.json.flows.kinds.clientCredentials')).toBe('Identifiants client');
    expect(ja.get('locales/ja-JP.json.flows.kinds.clientCredentials')).toBe('クライアント資格情報');
    expect(ja.get('locales/ja-JP.json.flows.target.methods.privateKeyJwt')).toBe('秘密鍵JWT');
    expect(ja.get('locales/ja-JP.json.server.expiry.date')).toBe('有効期限');
    expect(ja.get('locales/ja-JP.json.compose.lint.title')).toBe('ルール検査');
    // The rule texts name the request object as the UI does.
    expect(ja.get('rules/ja-JP.json.tokens.requestObject')).toBe(ja.get('locales/ja-JP.json.flows.jwt.requestObject.name'));
    expect(fr.get('rules/fr-CA.json.tokens.requestObject')?.toLowerCase()).toBe(fr.get('locales/fr-CA.json.flows.jwt.requestObject.name')?.toLowerCase());
  });
});
