import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { queryFromHash, screenFromHash } from '../../../../../renderer/src/app/route';
import { runShellCommand } from '../../../../../renderer/src/app/shell-command-actions';
import type { ShellCommandTargets } from '../../../../../renderer/src/app/shell-command-actions';
import type { ShellCommand } from '../../../../../shared/ipc/shell-commands';
import en from '../../../../../renderer/src/i18n/locales/en.json';

/** English messages, as the catalogue has them ({{subject}} filled in). */
const t = ((key: string, values?: Record<string, string>) => {
  const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], en);
  if (typeof text !== 'string') throw new Error(`missing key ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values?.[name] ?? '');
}) as unknown as TFunction;

/** Runs commands against recording targets. */
function run(commands: ShellCommand[], openRun: string | null = null) {
  const seen: string[] = [];
  const toasts: unknown[] = [];
  const targets: ShellCommandTargets = {
    t,
    navigate: (hash) => seen.push(`navigate ${hash}`),
    previewCase: (json) => seen.push(`preview ${json}`),
    openFinishedRunId: () => openRun,
    exportRun: (id) => seen.push(`export ${id}`),
    toast: (toast) => toasts.push(toast),
  };
  for (const command of commands) runShellCommand(command, targets);
  return { seen, toasts };
}

describe('renderer › desktop shell commands', () => {
  it('parley://inspect opens the #/inspect?token= route web mode has, with the token intact', () => {
    const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhK2IvYz0ifQ.';
    const { seen } = run([{ command: 'inspect', token }]);
    const hash = seen[0]!.replace('navigate ', '');
    expect(screenFromHash(hash)).toBe('inspect');
    expect(queryFromHash(hash).get('token')).toBe(token);
  });

  it('an opened case file goes to the Flows screen and its import preview', () => {
    expect(run([{ command: 'open-case', fileName: 'a.parleycase', json: '{"format":"parley-case/1"}' }]).seen).toEqual([
      'navigate #/flows',
      'preview {"format":"parley-case/1"}',
    ]);
  });

  it('Settings… opens Settings; Export case… exports the open finished run, or says to open one', () => {
    expect(run([{ command: 'open-settings' }]).seen).toEqual(['navigate #/settings']);
    expect(run([{ command: 'export-case' }], 'run-1').seen).toEqual(['export run-1']);
    expect(run([{ command: 'export-case' }], null).toasts).toEqual([{ kind: 'info', message: 'Open a finished run on the Flows screen to export its case.' }]);
  });

  it('a problem becomes an error toast naming the file and why', () => {
    expect(run([{ command: 'problem', problem: 'not-a-case-file', subject: 'photo.png', detail: 'only .parleycase files are opened' }]).toasts).toEqual([
      { kind: 'error', message: 'photo.png is not a Parley case file (.parleycase).', detail: 'only .parleycase files are opened' },
    ]);
    expect(run([{ command: 'problem', problem: 'bad-link', subject: 'parley://x' }]).toasts).toEqual([
      { kind: 'error', message: 'This Parley link could not be opened.', detail: null },
    ]);
  });
});
