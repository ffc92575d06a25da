/**
 * Which renderers may talk to the core. Modelled on desktop/desktop's `trusted-ipc-sender.ts`: only
 * web contents of windows this process created are trusted, and within those only the main frame while
 * it shows the app origin. A subframe, a navigated-away page or any other window is refused.
 */
import type { WebContents, WebFrameMain } from 'electron';
import { isAppUrl } from './app-origin';

/** The parts of an IPC event the check reads (Electron's `IpcMainInvokeEvent` has them). */
export interface SenderInfo {
  readonly sender: WebContents;
  readonly senderFrame: WebFrameMain | null;
}

/** A registry of the app windows' web contents. */
export class TrustedSenders {
  readonly #contents = new Set<WebContents>();

  /** Trusts a window's web contents until they are destroyed. */
  add(contents: WebContents): void {
    this.#contents.add(contents);
    contents.once('destroyed', () => this.#contents.delete(contents));
  }

  /** True for web contents of a window we created that still exist. */
  has(contents: WebContents | null | undefined): boolean {
    return contents != null && this.#contents.has(contents) && !contents.isDestroyed();
  }

  /** True when the message comes from the main frame of an app window showing the app origin. */
  isTrusted(event: SenderInfo): boolean {
    const frame = event.senderFrame;
    // senderFrame is null when the frame navigated or was destroyed before the message was handled.
    if (frame == null || !this.has(event.sender)) return false;
    // Not `frame === sender.mainFrame`: WebFrameMain wrappers are not guaranteed stable across navigations.
    if (frame.parent !== null) return false;
    return isAppUrl(frame.url);
  }

  /** The app windows' web contents that currently show the app: where core events go. */
  targets(): WebContents[] {
    return [...this.#contents].filter((c) => !c.isDestroyed() && isAppUrl(c.getURL()));
  }
}
