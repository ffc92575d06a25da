/**
 * Where things are: the built preload and renderer (relative to out/main) and the data directory.
 */
import { join, resolve } from 'node:path';
import { app } from 'electron';

/** Where the build puts the preload and the renderer relative to out/main. */
export function shellPaths(mainDir: string): { preload: string; renderer: string } {
  return { preload: join(mainDir, '..', 'preload', 'index.cjs'), renderer: join(mainDir, '..', 'renderer') };
}

/**
 * The data directory: `PARLEY_DATA_DIR` when set, else Electron's userData. The override also moves
 * userData, so Chromium's own files and the single-instance lock follow it (two data directories, two
 * independent instances). Must run before `ready`.
 */
export function useDataDir(env: NodeJS.ProcessEnv): string {
  const override = env['PARLEY_DATA_DIR'];
  if (override !== undefined && override.trim() !== '') {
    app.setPath('userData', resolve(override));
    // The log file follows the data (tests and side-by-side instances never share one).
    app.setAppLogsPath(join(resolve(override), 'logs'));
  } else {
    // Electron's default: ~/Library/Logs/Parley on macOS, userData/logs elsewhere.
    app.setAppLogsPath();
  }
  return app.getPath('userData');
}
