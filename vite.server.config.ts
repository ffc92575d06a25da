/**
 * The headless server as built JavaScript (`npm run build:server` → out/server/parley-server.js, the
 * `parley-server` bin; see vite.node-bin.ts). @peculiar/x509 (only needed to issue the local CA's
 * certificates) stays in a chunk of its own, loaded on first https use; every plain-http start skips it.
 */
import { nodeBinConfig } from './vite.node-bin';

export default nodeBinConfig('electron/cli/server.ts', 'out/server', 'parley-server.js');
