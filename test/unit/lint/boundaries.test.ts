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

  it('allows Node built-ins in electron/core', async () => {
    expect(await restrictedImports('electron/core/vault/x.ts', "import { createHash } from 'node:crypto';\nexport const h = createHash;\n")).toHaveLength(0);
  });
});
