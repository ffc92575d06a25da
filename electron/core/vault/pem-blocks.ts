/**
 * Extracts PEM blocks (RFC 7468) from pasted text. Only the armour is handled here: label, optional
 * RFC 1421 headers (legacy OpenSSL encryption), and a base64 check so a damaged paste gets a precise
 * message. Decoding the contents is left to Node's crypto.
 */
import { ParleyError } from '../../../shared/errors';

/** One PEM block, re-armoured canonically so pasted indentation or CRLFs do not matter. */
export interface PemBlock {
  label: string;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL-encrypted keys). */
  headers: string[];
  der: Buffer;
  pem: string;
}

// A paste is one key, maybe with its certificate chain; more than this is not a key paste.
const MAX_BLOCKS = 16;
const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/** True when the text contains at least one PEM BEGIN line. */
export function hasPemArmour(text: string): boolean {
  return text.includes('-----BEGIN ');
}

/** Every PEM block in `text`, in order; MALFORMED_KEY naming the first problem found. */
export function extractPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BEGIN)) {
    const label = match[1] ?? '';
    const bodyStart = (match.index ?? 0) + match[0].length;
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (end === -1 || (nextBegin !== -1 && nextBegin < end)) {
      throw new ParleyError('MALFORMED_KEY', `The PEM block "${label}" has no matching "${endLine}" line.`);
    }
    blocks.push(parseBody(label, text.slice(bodyStart, end)));
    if (blocks.length > MAX_BLOCKS)
      throw new ParleyError('MALFORMED_KEY', `The paste holds more than ${MAX_BLOCKS} PEM blocks; paste one key and its certificate.`);
  }
  return blocks;
}

function parseBody(label: string, body: string): PemBlock {
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  const headers: string[] = [];
  // RFC 1421 headers come first and end with a blank line; RFC 7468 blocks have none.
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  if (/^[A-Za-z-]+:/.test(lines[i] ?? '')) {
    while (i < lines.length && lines[i] !== '') headers.push(lines[i++] ?? '');
  }
  const base64 = lines.slice(i).join('').replace(/\s+/g, '');
  if (base64 === '' || base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new ParleyError('MALFORMED_KEY', `The PEM block's base64 is invalid (in the "${label}" block).`, { details: { label } });
  }
  const wrapped = base64.match(/.{1,64}/g)?.join('\n') ?? '';
  const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : '';
  return { label, headers, der: Buffer.from(base64, 'base64'), pem: `-----BEGIN ${label}-----\n${head}${wrapped}\n-----END ${label}-----\n` };
}
