/**
 * The key vault's public surface. Hosts construct a Vault and wire it to the contract; nothing else
 * in this folder is meant to be imported from outside it.
 */
export { Vault } from './vault';
export type { ExportAuditEntry, ExportProof, ExportSubject, SafeStorageProtector, VaultOptions } from './vault';
export { securityLog, SECURITY_LOG_FILE } from './security-log';
export { IdleLock, PASSIVE_OPERATIONS } from './idle-lock';
export type { IdleTimers } from './idle-lock';
