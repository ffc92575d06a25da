import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('ARCHITECTURE.md §3 › import boundaries are enforced by lint', () => {
  it('refuses electron in electron/core', async () => {
    expect(await restrictedImports('electron/core/vault/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });

  it('refuses electron and Node built-ins in shared/', async () => {
    expect(await restrictedImports('shared/jwt/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restrictedImports('shared/jwt/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImports('shared/jwt/x.ts', "import { createHash } from 'crypto';\nexport const h = createHash;\n")).toHaveLength(1);
  });

  it('refuses electron and Node built-ins in renderer/', async () => {
    expect(await restrictedImports('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/src/x.tsx', "import { join } from 'node:path';\nexport const j = join;\n")).toHaveLength(1);
  });

  it('refuses raw ipcMain outside electron/main/ipc.ts, and allows it there', async () => {
    expect(await restrictedImports('electron/main/window.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n")).toHaveLength(1);
    expect(await restrictedImports('electron/main/ipc.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n")).toHaveLength(0);
  });

  it("refuses features/ and app/ in the renderer's state/, which still refuses Node built-ins; features/ may import state/", async () => {
    expect(
      await restrictedImports('renderer/src/state/x.ts', "import { TOUR_NAMES } from '../features/tour/tour-model';\nexport const n = TOUR_NAMES;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('renderer/src/state/x.ts', "import { ShellCommands } from '../app/shell-commands';\nexport const s = ShellCommands;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('renderer/src/state/server/x.ts', "import type { X } from '../../features/server/client-model';\nexport type Y = X;\n"),
    ).toHaveLength(1);
    expect(await restrictedImports('renderer/src/state/x.ts', "import { join } from 'node:path';\nexport const j = join;\n")).toHaveLength(1);
    expect(
      await restrictedImports('renderer/src/features/tour/x.ts', "import { isTourPage } from '../../state/tour-pages';\nexport const i = isTourPage;\n"),
    ).toHaveLength(0);
  });

  it("refuses a stylesheet import anywhere in the renderer but main.tsx's styles/app.css (one home for CSS)", async () => {
    expect(await restrictedImports('renderer/src/features/tour/x.tsx', "import './tour.css';\nexport const x = 1;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/src/state/x.ts', "import '../styles/keys.css';\nexport const x = 1;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/src/main.tsx', "import './styles/app.css';\nexport const x = 1;\n")).toHaveLength(0);
  });

  it('allows Node built-ins in electron/core', async () => {
    expect(await restrictedImports('electron/core/vault/x.ts', "import { createHash } from 'node:crypto';\nexport const h = createHash;\n")).toHaveLength(0);
  });
});
