/**
 * The `parley` command line as built JavaScript (`npm run build:server` builds it after the server →
 * out/cli/parley.js, the `parley` bin; see vite.node-bin.ts). The signature check (the core's key reading,
 * with @peculiar/x509 for certificates) is a chunk of its own, loaded only with --key.
 */
import { nodeBinConfig } from './vite.node-bin';

export default nodeBinConfig('electron/cli/parley.ts', 'out/cli', 'parley.js');
