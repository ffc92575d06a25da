/**
 * The only file that touches `ipcMain` (a lint rule keeps it so). Every contract operation gets one
 * `handle` channel; each call checks its sender before anything reaches the core, and the reply is always
 * a Result, because Electron keeps nothing but `message` of an error thrown across IPC.
 */
import { ipcMain } from 'electron';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { OP_NAMES } from '../../shared/ipc/contract';
import type { ParleyEvent } from '../../shared/ipc/contract';
import { EVENT_CHANNEL, opChannel } from '../../shared/ipc/bridge';
import type { Result } from '../../shared/ipc/result';
import type { Dispatch } from '../core/operations/dispatch';

/** Decides whether an IPC message may reach the core. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** The reply to a message whose sender failed the check. */
export function forbiddenSender(): Result<never> {
  return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'This window is not allowed to call Parley operations.' } };
}

/**
 * Registers a handler per contract operation; returns a function that removes them all.
 * `ipc` is a parameter only so the wiring can be exercised without Electron.
 */
export function registerIpc(dispatch: Dispatch, isTrusted: SenderCheck, ipc: Pick<IpcMain, 'handle' | 'removeHandler'> = ipcMain): () => void {
  const channels: string[] = [];
  for (const name of OP_NAMES) {
    const channel = opChannel(name);
    ipc.handle(channel, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrusted(event)) {
        console.warn(`[parley] refused ${name} from an untrusted sender (${describeSender(event)})`);
        return forbiddenSender();
      }
      return dispatch(name, input);
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipc.removeHandler(channel);
  };
}

/** Where core events go: the web contents of the app windows that currently show the app. */
export type EventTargets = () => readonly Pick<WebContents, 'send' | 'isDestroyed'>[];

/** Forwards every core event to the app windows only; returns the unsubscribe function. */
export function forwardEvents(events: { subscribe(listener: (event: ParleyEvent) => void): () => void }, targets: EventTargets): () => void {
  return events.subscribe((event) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
    }
  });
}

function describeSender(event: IpcMainInvokeEvent): string {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && url.length > 0 ? url.slice(0, 200) : 'no frame';
}
