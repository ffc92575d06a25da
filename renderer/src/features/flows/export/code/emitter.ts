/**
 * What a language provides to write a plan out (`CodeEmitter`), and what every language writes the same:
 * the header comment that says what the program does and how to run it. Pure: no DOM, no Node.
 */
import type { FlowKind, FlowTarget } from '../../../../../../shared/schemas/flows';
import type { CodeKeyFile, Plan, PlanStep, Value } from './plan';
import { CODE_ASSERTION_LIFETIME_S, CODE_ENV, CODE_REQUEST_OBJECT_LIFETIME_S } from './plan';

/** The languages a run is exported to. */
export const CODE_LANGUAGES = ['typescript', 'python', 'shell'] as const;
/** A language a run is exported to. */
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

/** The code of one step, by step: each emitter writes every step of `PlanStep`. */
export type StepWriters = { [K in PlanStep['step']]: (plan: Plan, step: Extract<PlanStep, { step: K }>) => string[] };

/** One language's writer of programs. */
export interface CodeEmitter {
  language: CodeLanguage;
  /** The file name's extension (without the dot). */
  extension: string;
  mimeType: string;
  /** What to install first (none: the tools are on the system). */
  setupCommand?: string;
  /** How to run the saved file, from its directory. */
  runCommand(fileName: string): string;
  /** The "Run it:" lines of the header comment. */
  runInstructions(fileName: string): string[];
  /** Lines the header adds about the keys in this language (bash: how it signs ECDSA). */
  keyNotes(keys: CodeKeyFile[]): string[];
  /** The whole program: the header comment's lines (to be commented out) and the steps' code, in order. */
  program(plan: Plan, fileName: string, header: string[], steps: string[]): string;
  /** The code of each step. */
  steps: StepWriters;
}

/**
 * A value as an expression of TypeScript or Python, which name the constants, the issuer and the times
 * alike: `literal` writes a recorded value, `fresh` names the variable (or call) of each fresh value.
 */
export function expression(value: Value, literal: (v: unknown) => string, fresh: Record<Extract<Value, { fresh: unknown }>['fresh'], string>): string {
  if ('literal' in value) return literal(value.literal);
  if ('constant' in value) return value.constant;
  if ('issuer' in value) return 'issuer';
  if ('fresh' in value) return fresh[value.fresh];
  return value.time === 'iat' ? 'iat' : `iat + ${value.time === 'exp_request' ? CODE_REQUEST_OBJECT_LIFETIME_S : CODE_ASSERTION_LIFETIME_S}`;
}

const KIND_TITLES: Record<FlowKind, string> = {
  jar: 'JAR by value (RFC 9101)',
  par: 'PAR (RFC 9126)',
  'par+jar': 'PAR with a signed request object (RFC 9126 + RFC 9101)',
  plain: 'authorization code (plain parameters)',
  client_credentials: 'client credentials',
};

const METHOD_TITLES: Record<FlowTarget['auth']['method'], string> = {
  none: 'no client authentication (public client)',
  client_secret_basic: 'client_secret_basic (the secret from $CLIENT_SECRET)',
  client_secret_post: 'client_secret_post (the secret from $CLIENT_SECRET)',
  private_key_jwt: 'private_key_jwt (RFC 7523)',
};

/** One line of comment text: a recorded value can never end the comment (JS also ends `//` at U+2028/9). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** What a key is, for the header and for error messages: the vault key's name, alg and kid, and what it signs. */
export function keyDescription(key: CodeKeyFile): string {
  const what = key.role === 'jar' ? 'signs the request object' : 'signs the client assertions';
  const name = key.name ? `the vault key ${JSON.stringify(key.name)}` : 'the vault key of this target';
  return `${name} (${key.alg}${key.kid ? `, kid ${key.kid}` : ''}): ${what}`;
}

/** The header comment, the same in every language (each emitter prefixes the lines with its comment mark). */
export function headerLines(plan: Plan, emitter: CodeEmitter, fileName: string): string[] {
  const keys = [plan.jarKey, plan.authKey].filter((k): k is CodeKeyFile => k !== undefined);
  const fresh = [
    ...(plan.usesBrowser ? ['state', 'nonce'] : []),
    ...(plan.usesBrowser && plan.pkce ? ['the PKCE pair'] : []),
    ...(keys.length > 0 ? ['jti', 'iat', 'exp'] : []),
  ];
  const lines = [
    `Parley code export: ${KIND_TITLES[plan.kind]}.`,
    `Client authentication: ${METHOD_TITLES[plan.authMethod]}.`,
    `Target ${JSON.stringify(plan.targetName)}, client_id ${plan.clientId}`,
    `Issuer ${plan.issuer} (${CODE_ENV.issuer} overrides it: the embedded server's port can change when Parley restarts)`,
    `Made from run ${plan.runId} (${plan.startedAt}).`,
    '',
    fresh.length > 0 ? `It sends the same requests as that run, with fresh values (${fresh.join(', ')}),` : 'It sends the same requests as that run,',
    "and takes the endpoints from the issuer's discovery document.",
    '',
  ];
  if (keys.length > 0) {
    lines.push('Private keys are read from PEM files (PKCS#8, PKCS#1 or SEC1), never written here:');
    for (const key of keys) lines.push(`  ${key.envVar} (default ${key.defaultFile}): ${keyDescription(key)}.`);
    if (plan.sameKey) lines.push(`  Both are the same key: ${CODE_ENV.clientAuthKeyFile} defaults to ${CODE_ENV.jarKeyFile}.`);
    lines.push(
      `  ${CODE_ENV.keyPassphrase}: the passphrase of an encrypted PEM. Parley's Keys, Export, Private key`,
      '  saves the key as encrypted PKCS#8, with the passphrase you choose there.',
      ...emitter.keyNotes(keys),
    );
  }
  if (plan.usesSecret) lines.push(`${CODE_ENV.clientSecret}: the client secret (required; it is never written here).`);
  if (plan.extraClaims) lines.push('The run merged extra claims over the request object: they are kept (EXTRA_CLAIMS).');
  if (plan.dpop) {
    lines.push(
      'DPoP (RFC 9449): it makes its own ES256 key pair when it runs (not the vault key of the run), sends a proof',
      "with every PAR and token request, and sends a request once more with the server's nonce when it answers",
      `use_dpop_nonce.${plan.params.some(([, v]) => 'fresh' in v && v.fresh === 'dpop_jkt') ? ' The code is bound to the key (dpop_jkt = its thumbprint).' : ''}`,
      ...(plan.usesBrowser ? ['The access token (token_type DPoP) is then used at /userinfo with a proof that carries its hash (ath).'] : []),
    );
  }
  if (plan.usesBrowser) {
    lines.push(
      '',
      'It prints the URL to open in a browser, then reads the URL the browser is sent back to',
      '(paste it, or press Enter to stop there) and exchanges the code for tokens.',
    );
  }
  lines.push('', 'Run it:');
  for (const l of emitter.runInstructions(fileName)) lines.push(`  ${l}`);
  return lines.map(oneLine);
}
