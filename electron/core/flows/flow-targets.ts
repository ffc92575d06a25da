/**
 * The targets of flows: saved ones in `flows.json` (schema-validated, written atomically) and a built-in
 * one derived from the running embedded server (its Management API client, for client_credentials out of
 * the box). Client secrets go to the vault's secret store; flows.json only says whether one exists.
 *
 * Saving a target of an embedded-server client registers its redirect_uri in the client's callbacks
 * (Auth0 Management API PATCH semantics, traced like a dashboard change) so the flow works at once.
 */
import { z } from 'zod';
import { ParleyError } from '../../../shared/errors';
import type { FlowTarget } from '../../../shared/schemas/flows';
import { flowTargetSchema } from '../../../shared/schemas/flows';
import type { EmbeddedServer } from '../server/embedded';
import type { Document, DocumentStoreFactory } from '../store/document-store';
import { openDocument } from '../store/document-store';
import type { Vault } from '../vault';
import { secretIdOf } from './client-auth';
import type { StoreNotice } from '../../../shared/schemas/app';

/** The id of the built-in embedded-server target. */
export const EMBEDDED_TARGET_ID = 'embedded';

const flowsDocumentSchema = z.object({ version: z.literal(1), targets: z.array(flowTargetSchema) });
type FlowsDocument = z.infer<typeof flowsDocumentSchema>;

/** Saved targets plus the built-in one. */
export class FlowTargets {
  readonly #doc: Document<FlowsDocument>;

  constructor(
    store: DocumentStoreFactory,
    notices: StoreNotice[],
    private readonly vault: Vault,
    private readonly server: EmbeddedServer,
  ) {
    this.#doc = openDocument(store, 'flows', flowsDocumentSchema, () => ({ version: 1 as const, targets: [] }), notices);
  }

  /** The built-in target, while the embedded server runs. */
  builtIn(): FlowTarget | undefined {
    const running = this.server.running;
    if (!running) return undefined;
    let clientId: string;
    try {
      clientId = this.server.directory.bootstrapInfo().management.client_id;
    } catch {
      return undefined;
    }
    return {
      id: EMBEDDED_TARGET_ID,
      name: 'Embedded server (Management API client)',
      issuer: running.urls.issuer,
      client_id: clientId,
      auth: { method: 'client_secret_post', hasSecret: true },
      redirect_uri: 'http://127.0.0.1:53682/callback',
      scope: 'openid profile email',
      audience: running.urls.managementAudience,
      embedded: true,
    };
  }

  /** Every target, the built-in one first; embedded targets show the running server's issuer. */
  list(): FlowTarget[] {
    const builtIn = this.builtIn();
    return [...(builtIn ? [builtIn] : []), ...this.#doc.value.targets.map((t) => this.#live(t))];
  }

  /** A target by id, or NOT_FOUND. */
  get(id: string): FlowTarget {
    const found = this.list().find((t) => t.id === id);
    if (!found) throw new ParleyError('NOT_FOUND', `No flow target with id ${JSON.stringify(id)}.`);
    return found;
  }

  /** The target's client secret (vault secret store, or the embedded server's own record for the built-in target). */
  secretOf(target: FlowTarget): string | undefined {
    if (target.id === EMBEDDED_TARGET_ID) return this.server.directory.bootstrapInfo().management.client_secret;
    return target.auth.hasSecret ? this.vault.getSecret(secretIdOf(target.id)) : undefined;
  }

  /** Saves a target (and its secret in the vault); for an embedded client, registers the redirect_uri. */
  async save(input: FlowTarget, secret?: string): Promise<FlowTarget> {
    if (input.id === EMBEDDED_TARGET_ID)
      throw new ParleyError('INVALID_INPUT', 'The built-in embedded target cannot be replaced; save a target with another id.');
    const usesSecret = input.auth.method === 'client_secret_basic' || input.auth.method === 'client_secret_post';
    const previous = this.#doc.value.targets.find((t) => t.id === input.id);
    if (secret !== undefined) this.vault.putSecret(secretIdOf(input.id), secret);
    else if (!usesSecret && previous?.auth.hasSecret) this.vault.deleteSecret(secretIdOf(input.id));
    const hasSecret = secret !== undefined || (usesSecret && previous?.auth.hasSecret === true);
    const target: FlowTarget = { ...input, auth: { ...input.auth, hasSecret } };
    if (target.embedded) await this.#registerCallback(target);
    const others = this.#doc.value.targets.filter((t) => t.id !== target.id);
    this.#doc.save({ ...this.#doc.value, targets: [...others, target] });
    return this.#live(target);
  }

  /** Deletes a target and its secret. */
  delete(id: string): { deleted: string } {
    if (!this.#doc.value.targets.some((t) => t.id === id)) throw new ParleyError('NOT_FOUND', `No saved flow target with id ${JSON.stringify(id)}.`);
    if (this.vault.status().state === 'unlocked') this.vault.deleteSecret(secretIdOf(id));
    this.#doc.save({ ...this.#doc.value, targets: this.#doc.value.targets.filter((t) => t.id !== id) });
    return { deleted: id };
  }

  #live(target: FlowTarget): FlowTarget {
    const running = this.server.running;
    return target.embedded && running ? { ...target, issuer: running.urls.issuer } : target;
  }

  async #registerCallback(target: FlowTarget): Promise<void> {
    const directory = this.server.directory;
    let callbacks: string[];
    try {
      callbacks = ((directory.getClientJson(target.client_id) as unknown as { callbacks?: string[] }).callbacks ?? []).slice();
    } catch (e) {
      throw new ParleyError('NOT_FOUND', `The embedded server has no client ${target.client_id}.`, { cause: e });
    }
    if (callbacks.includes(target.redirect_uri)) return;
    await directory.updateClient(target.client_id, { callbacks: [...callbacks, target.redirect_uri] });
  }
}
