/**
 * Presenter mode hides what should not be projected: a JWT's signature is replaced by a marker, so a
 * token on screen reads header.payload.[signature hidden]. (Client secrets are redacted by the core.)
 */

// A compact JWS anywhere in text: a JSON object header ("eyJ" is base64url for '{"'), a payload, a signature.
const JWS_IN_TEXT = /\b(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)/g;

/** Text with every JWT's signature replaced by `hidden` (e.g. "[signature hidden]"). */
export function maskSignatures(text: string, hidden: string): string {
  return text.replace(JWS_IN_TEXT, (_match, signingInput: string) => `${signingInput}.${hidden}`);
}
