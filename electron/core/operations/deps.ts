/**
 * What the operations work on: the parts host/core.ts composes (stores, vault, server, flow engine,
 * transport). Each operations/<domain>.ts takes only the parts it needs (a Pick of this), so a domain's
 * handlers can be built and read without the rest of the core.
 */
import type { AppInfo } from '../../../shared/schemas/app';
import type { ShellCommandMailbox } from '../../../shared/ipc/shell-commands';
import type { EventBus } from '../events';
import type { FlowEngine } from '../flows/flow-engine';
import type { FlowHistory } from '../flows/flow-history';
import type { FlowTargets } from '../flows/flow-targets';
import type { CoreTransport } from '../http/transport';
import type { EmbeddedServer } from '../server/embedded';
import type { SettingsStore } from '../settings';
import type { IdleLock, Vault } from '../vault';

/** The composed core, as the operations see it. */
export interface OperationDeps {
  readonly info: AppInfo;
  readonly settings: SettingsStore;
  readonly idleLock: IdleLock;
  readonly events: EventBus;
  readonly shellCommands: ShellCommandMailbox;
  readonly vault: Vault;
  readonly server: EmbeddedServer;
  readonly flows: FlowEngine;
  readonly flowTargets: FlowTargets;
  readonly flowHistory: FlowHistory;
  /** The core's one policed transport (http/transport.ts), trusting the embedded server's CA. */
  readonly transport: CoreTransport;
  readonly log?: (message: string) => void;
}
