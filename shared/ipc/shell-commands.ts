/**
 * Commands the desktop shell hands to the renderer: what the application menu, a `parley://` link or a
 * double-clicked `.parleycase` file asks the app to do. The shell leaves them in the core's mailbox
 * (`shell.takeCommands`) and says so with a `shell.commands` event, so a command given before the window
 * listens (a link that launched the app, or one given while the vault is locked) waits instead of being
 * lost. Web mode has no menu and no links: its mailbox stays empty.
 */

/** Why a link, a file or an argument was not acted on (each has a message in the catalogues). */
export type ShellProblem =
  /** A `parley://` link that is not one Parley knows, or whose parameters are wrong. */
  | 'bad-link'
  /** A case file that could not be read (missing, a folder, no permission). */
  | 'unreadable-case'
  /** A case file larger than the import accepts. */
  | 'case-too-large'
  /** A file that is not a `.parleycase` file. */
  | 'not-a-case-file';

/** One command for the renderer. */
export type ShellCommand =
  | { command: 'open-settings' }
  /** Export the case of the run open on the Flows screen. */
  | { command: 'export-case' }
  /** A case file's content, to preview and import exactly as the Import case button does. */
  | { command: 'open-case'; fileName: string; json: string }
  /** Open Inspect with this token (the `#/inspect?token=` route). */
  | { command: 'inspect'; token: string }
  /** Something the user asked for could not be done; `subject` names the link or file (never a token). */
  | { command: 'problem'; problem: ShellProblem; subject: string; detail?: string };

/**
 * The commands waiting for the renderer. Bounded: a burst of links (a script, a stuck key) cannot grow it
 * without limit; the oldest are dropped first.
 */
export class ShellCommandMailbox {
  static readonly MAX = 20;
  readonly #pending: ShellCommand[] = [];
  readonly #listeners = new Set<() => void>();

  /** Leaves a command and tells the listeners (the core forwards it as a `shell.commands` event). */
  post(command: ShellCommand): void {
    this.#pending.push(command);
    if (this.#pending.length > ShellCommandMailbox.MAX) this.#pending.splice(0, this.#pending.length - ShellCommandMailbox.MAX);
    for (const listener of this.#listeners) listener();
  }

  /** Every waiting command, oldest first; the mailbox is empty afterwards. */
  take(): ShellCommand[] {
    return this.#pending.splice(0, this.#pending.length);
  }

  /** Calls `listener` after each post; returns the unsubscribe function. */
  onPost(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
