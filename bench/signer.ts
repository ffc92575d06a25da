/**
 * Pre-signing of client assertions and request objects before a timed run, on worker threads (one per
 * core: the servers are idle while this runs). Every token gets its own jti, so no two request bodies are
 * alike; RS256 over RSA-2048 (ES256 over P-256 for DPoP proofs) with node:crypto, the compact JWS built by hand
 * (nothing else to it).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** One batch of JWTs: the same header and claims, `jti` = `${jtiPrefix}${start + i}`. */
export interface SignJob {
  /** PKCS#8 PEM of the signing key. */
  keyPem: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  jtiPrefix: string;
  count: number;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, job, start, count }) => {
  let key = keys.get(job.keyPem);
  if (!key) { key = createPrivateKey(job.keyPem); keys.set(job.keyPem, key); }
  const header = Buffer.from(JSON.stringify(job.header)).toString('base64url');
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(JSON.stringify({ ...job.claims, jti: job.jtiPrefix + (start + i) })).toString('base64url');
    const input = header + '.' + payload;
    // ieee-p1363: the JWS form of an ECDSA signature (ES256 DPoP proofs); ignored for RSA.
    out[i] = input + '.' + sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  }
  parentPort.postMessage({ id, out });
});
`;

/** A pool of signing threads. */
export class Signer {
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, (out: string[]) => void>();
  #next = 0;

  constructor(threads = Math.max(1, availableParallelism())) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', ({ id, out }: { id: number; out: string[] }) => {
        this.#pending.get(id)?.(out);
        this.#pending.delete(id);
      });
      worker.on('error', (e) => {
        console.error('[bench] signing thread failed:', e);
        process.exit(1);
      });
      this.#workers.push(worker);
    }
  }

  /** Signs `job.count` tokens, split across the threads, in jti order. */
  async sign(job: SignJob): Promise<string[]> {
    const per = Math.ceil(job.count / this.#workers.length);
    const parts = this.#workers.map((worker, w) => {
      const start = w * per;
      const count = Math.max(0, Math.min(per, job.count - start));
      if (count === 0) return Promise.resolve<string[]>([]);
      const id = this.#next++;
      return new Promise<string[]>((resolve) => {
        this.#pending.set(id, resolve);
        worker.postMessage({ id, job, start, count });
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
