/**
 * clients.json: the clients, their credentials (public PEMs only) and the client grants, in one document
 * so that a client and its credentials are always written together, atomically.
 */
import { z } from 'zod';
import type { Document, DocumentStoreFactory } from '../../store/document-store';
import { openDocument } from '../../store/document-store';
import { storedClientSchema } from './client-shape';
import { storedCredentialSchema } from './credential-shape';
import { storedGrantSchema } from './grants';
import type { StoreNotice } from '../../../../shared/schemas/app';

/** The schema of clients.json. Bounds keep a hand-edited file from exhausting memory. */
export const clientsDocumentSchema = z
  .object({
    version: z.literal(1),
    clients: z.array(storedClientSchema).max(10_000),
    credentials: z.array(storedCredentialSchema).max(40_000),
    grants: z.array(storedGrantSchema).max(10_000),
  })
  .strict();

/** The contents of clients.json. */
export type ClientsDocument = z.infer<typeof clientsDocumentSchema>;

/** Opens clients.json (an unreadable file is moved aside and reported, see document-store.ts). */
export function openClientsDocument(store: DocumentStoreFactory, notices: StoreNotice[]): Document<ClientsDocument> {
  return openDocument(store, 'clients', clientsDocumentSchema, () => ({ version: 1 as const, clients: [], credentials: [], grants: [] }), notices);
}
