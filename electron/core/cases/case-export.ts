/**
 * `cases.export`: gathers a finished run's sources — its target, and for the embedded server the client
 * (without its secret), its grants, the server's settings and the credentials' public keys from the
 * directory; for another issuer the public halves of the target's vault keys — and hands them to the
 * whitelist constructor. Nothing here reads a secret: no vault secret store, no private key export.
 */
import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { ParleyError } from '../../../shared/errors';
import type { CaseExport } from '../../../shared/schemas/case';
import type { FlowRun, FlowTarget } from '../../../shared/schemas/flows';
import type { KeyDetail } from '../../../shared/schemas/keys';
import type { ServerSettings } from '../../../shared/schemas/server';
import { now } from '../clock';
import type { CredentialView } from '../server/state/types';
import type { CaseSources, CredentialSource } from './case-builder';
import { buildCaseFile, publicPemOf } from './case-builder';

/** What the exporter reads (the core's services; tests give stand-ins). */
export interface CaseExportDeps {
  version: string;
  runs: { get(runId: string): FlowRun };
  targets: { list(): FlowTarget[] };
  directory: {
    getClientForUi(clientId: string): object;
    listClientGrants(): { client_id: string; audience: string; scope: string[] }[];
    slotCredentials(clientId: string, slot: 'private_key_jwt' | 'signed_request_object'): CredentialView[];
  };
  settings: () => ServerSettings;
  vault: { status(): { state: string }; get(id: string): KeyDetail };
}

const FINISHED: ReadonlySet<FlowRun['status']> = new Set(['succeeded', 'failed', 'cancelled']);

function sameKey(a: string, b: string): boolean {
  try {
    return createPublicKey(a)
      .export({ type: 'spki', format: 'der' })
      .equals(createPublicKey(b).export({ type: 'spki', format: 'der' }));
  } catch {
    return false;
  }
}

/** The embedded client's attached credentials (one entry per key, with every slot it is in). */
function embeddedCredentials(deps: CaseExportDeps, target: FlowTarget): CredentialSource[] {
  const byId = new Map<string, CredentialSource>();
  for (const slot of ['private_key_jwt', 'signed_request_object'] as const) {
    for (const c of deps.directory.slotCredentials(target.client_id, slot)) {
      const known = byId.get(c.id);
      if (known) known.slots.push(slot);
      else byId.set(c.id, { slots: [slot], kid: c.kid, alg: c.alg, name: c.name, expires_at: c.expires_at, key: c.publicKey });
    }
  }
  const credentials = [...byId.values()];
  // A certificate the vault holds for one of the target's keys travels with the matching credential.
  if (deps.vault.status().state === 'unlocked') {
    for (const keyId of new Set([target.auth.keyId, target.jarKeyId].filter((k): k is string => k !== undefined))) {
      let key: KeyDetail;
      try {
        key = deps.vault.get(keyId);
      } catch {
        continue;
      }
      if (!key.certificatePem) continue;
      for (const c of credentials) if (sameKey(publicPemOf(c.key), key.publicPem)) c.certificatePem = key.certificatePem;
    }
  }
  return credentials;
}

/**
 * The alg the run signed with a key: the header of a recorded JWT whose kid is the key's thumbprint. The engine
 * signs with the key's first alg the server lists, so a FAPI 2 server got PS256 from a key whose first alg is
 * RS256; the replay's credential must say what was sent, or the embedded server refuses it (PKJ-6, JAR-5).
 */
function recordedAlg(run: FlowRun, kid: string): string | undefined {
  for (const step of run.steps) {
    for (const jwt of step.jwts) {
      try {
        const header = decodeProtectedHeader(jwt.token);
        if (header.kid === kid && typeof header.alg === 'string' && header.typ !== 'dpop+jwt') return header.alg;
      } catch {
        // Not a JWS (an opaque token or a redacted one): it names no alg.
      }
    }
  }
  return undefined;
}

/** Another issuer's client: the public halves of the target's vault keys, with the kid Parley signs with. */
function vaultCredentials(deps: CaseExportDeps, target: FlowTarget, run: FlowRun): CredentialSource[] {
  const slots = new Map<string, CredentialSource['slots']>();
  if (target.auth.method === 'private_key_jwt' && target.auth.keyId) slots.set(target.auth.keyId, ['private_key_jwt']);
  if (target.jarKeyId) slots.set(target.jarKeyId, [...(slots.get(target.jarKeyId) ?? []), 'signed_request_object']);
  // One entry per key (by thumbprint), with every slot it signs for.
  const byThumbprint = new Map<string, CredentialSource>();
  for (const [keyId, keySlots] of slots) {
    const key = deps.vault.get(keyId);
    const known = byThumbprint.get(key.thumbprint);
    if (known) known.slots.push(...keySlots.filter((s) => !known.slots.includes(s)));
    else
      byThumbprint.set(key.thumbprint, {
        slots: [...keySlots],
        kid: key.thumbprint,
        alg: recordedAlg(run, key.thumbprint) ?? key.algs[0] ?? 'RS256',
        name: key.name,
        expires_at: null,
        key: key.publicPem,
        certificatePem: key.certificatePem,
      });
  }
  return [...byThumbprint.values()];
}

function stamp(iso: string): string {
  return iso
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace('Z', '');
}

/** Builds the case file of a finished run. */
export function exportCase(deps: CaseExportDeps, runId: string): CaseExport {
  const run = deps.runs.get(runId);
  if (!FINISHED.has(run.status)) throw new ParleyError('INVALID_INPUT', 'This run is still in progress: export its case once it has finished.');
  const target = deps.targets.list().find((t) => t.id === run.targetId);
  if (!target)
    throw new ParleyError(
      'NOT_FOUND',
      'The target of this run has been deleted, so its configuration and public keys are no longer known: a case file cannot be built.',
    );
  const discovered = run.steps.find((s) => s.name === 'discover')?.detail?.['issuer'];
  const sources: CaseSources = {
    parleyVersion: deps.version,
    exportedAt: now().toISOString(),
    run,
    target,
    issuer: typeof discovered === 'string' ? discovered : target.issuer,
    credentials: target.embedded ? embeddedCredentials(deps, target) : vaultCredentials(deps, target, run),
  };
  if (target.embedded) {
    try {
      sources.client = deps.directory.getClientForUi(target.client_id) as Record<string, unknown>;
      sources.grants = deps.directory.listClientGrants().filter((g) => g.client_id === target.client_id);
    } catch {
      throw new ParleyError('NOT_FOUND', `The embedded server no longer has the client ${target.client_id}: a case file needs its configuration.`);
    }
    sources.serverSettings = deps.settings();
  }
  const file = buildCaseFile(sources);
  return { fileName: `parley-case-${run.kind.replace('+', '-')}-${stamp(run.startedAt)}.parleycase`, json: `${JSON.stringify(file, null, 2)}\n` };
}
