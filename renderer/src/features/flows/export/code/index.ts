/**
 * "Export code" of a flow run (issue #7): a program that rebuilds the same requests as the run — the same
 * authorization parameters, the same request object (RFC 9101: typ oauth-authz-req+jwt, iss = client_id,
 * aud = issuer, iat/nbf, exp 300 s ahead, a fresh jti) and the same client assertion (RFC 7523: iss = sub =
 * client_id, aud = issuer, exp 60 s ahead, a fresh jti), each header carrying the vault key's thumbprint as
 * kid — and sends them: PAR, the /authorize URL (JAR by value, PAR's request_uri, or plain parameters), the
 * code exchange from a pasted callback URL, or client_credentials.
 *
 * Three languages: TypeScript for Node (jose + global fetch), Python 3 (PyJWT + requests + cryptography)
 * and bash (curl, with openssl signing). Unlike the replay script (../replay.ts), nothing recorded is sent
 * again: state, nonce, the PKCE pair, jti and the times are fresh, and the endpoints come from the
 * issuer's discovery document fetched when the program runs, as real client code would.
 *
 * Never a secret: private keys are read from PEM files named by environment variables (the vault key each
 * file must hold is named in the header, with its kid), client secrets from $CLIENT_SECRET. Pure: no DOM,
 * no Node.
 *
 * The folder: plan.ts builds the language-neutral plan once (which requests, in order, with which values);
 * emitter.ts is the interface each language implements, and the header comment they share; typescript.ts,
 * python.ts and bash.ts write a plan out; text/ holds each language's fixed helper functions.
 */
import type { FlowRun } from '../../../../../../shared/schemas/flows';
import { exportFileStem } from '../recorded-run';
import { bash } from './bash';
import type { CodeEmitter, CodeLanguage } from './emitter';
import { headerLines } from './emitter';
import type { CodeExportInput, CodeKeyFile, Plan, PlanStep } from './plan';
import { CODE_ENV, planOf } from './plan';
import { python } from './python';
import { typescript } from './typescript';

export type { CodeLanguage } from './emitter';
export { CODE_LANGUAGES } from './emitter';
export type { CodeExportInput, CodeKeyFile, CodeKeyInfo } from './plan';
export { SHELL_HELPERS } from './text/bash';

/** A generated program. */
export interface CodeExport {
  language: CodeLanguage;
  fileName: string;
  mimeType: string;
  code: string;
  /** What to install first (the shell program needs only curl and openssl). */
  setupCommand?: string;
  /** How to run it, from the directory it is saved in. */
  runCommand: string;
  /** The private key files it reads (one entry per key: the same key for both roles is listed once). */
  keyFiles: CodeKeyFile[];
  /** The environment variable holding the client secret, when the client authenticates with one. */
  secretVariable?: string;
}

const EMITTERS: Record<CodeLanguage, CodeEmitter> = { typescript, python, shell: bash };

/** The file name of an export: `parley-flow-<kind>.<ext>`. */
export function codeFileName(run: Pick<FlowRun, 'kind'>, language: CodeLanguage): string {
  return `${exportFileStem(run)}.${EMITTERS[language].extension}`;
}

/** Generates the program of a run in one language. */
export function exportCode(input: CodeExportInput, language: CodeLanguage): CodeExport {
  const emitter = EMITTERS[language];
  const plan = planOf(input);
  const fileName = codeFileName(input.run, language);
  // Each step to its writer (the cast: TypeScript does not tie a union member to the writer of its kind).
  const steps = plan.steps.flatMap((step) => (emitter.steps[step.step] as (p: Plan, s: PlanStep) => string[])(plan, step));
  const code = emitter.program(plan, fileName, headerLines(plan, emitter, fileName), steps);
  // One entry per file: the same key for both roles is read from one file.
  const keyFiles = [plan.jarKey, plan.sameKey ? undefined : plan.authKey].filter((k): k is CodeKeyFile => k !== undefined);
  return {
    language,
    fileName,
    mimeType: emitter.mimeType,
    code,
    ...(emitter.setupCommand ? { setupCommand: emitter.setupCommand } : {}),
    runCommand: emitter.runCommand(fileName),
    keyFiles,
    ...(plan.usesSecret ? { secretVariable: CODE_ENV.clientSecret } : {}),
  };
}
