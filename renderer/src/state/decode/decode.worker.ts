/**
 * The Inspect screen's decode worker: a megabyte of base64url and JSON is decoded (and pretty-printed)
 * here, so typing and scrolling stay responsive. Loaded as a same-origin module file, which the
 * `script-src 'self'` CSP allows.
 */
import { decodeForInspect } from './decode-core';

/** A request: decode `text`, answer with the same `id`. */
export interface DecodeRequest {
  id: number;
  text: string;
}

const scope = self as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<DecodeRequest>) => void): void;
};

scope.addEventListener('message', (event) => {
  const { id, text } = event.data;
  scope.postMessage({ id, outcome: decodeForInspect(text) });
});
