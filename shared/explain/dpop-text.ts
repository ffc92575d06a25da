/**
 * The DPoP views of an explanation as text (issue 17, "Take explanations out"): the `htu` lens, the clock
 * line and a step's nonce history, as lines of Markdown or plain text for Copy as Markdown / plain text and
 * `parley lint --as dpop-proof`. The words come from `DpopTextWords`: English here (the en catalogue's
 * `dpopTools` sentences, which a test keeps equal), the UI language in the renderer (the same catalogue keys
 * the Explain screen shows). Pure and browser-safe.
 */
import { isoSeconds } from './evaluate-at';
import type { ClockLine, ExplanationDpop, HtuLens, HtuLensPart, HtuLensRow, NonceEvent } from './dpop';
import type { HtuCause } from '../jwt/dpop-htu';

/** The DPoP views' words in one language. Values (URLs, nonces, times) come in already formatted. */
export interface DpopTextWords {
  /** What follows a label: ": " in English, " : " (no-break space) in French, "：" in Japanese. */
  colon: string;
  lens: {
    title: string;
    /** "The path differs." / "The proof’s htu matches the URL the server computed." */
    verdict(lens: HtuLens): string;
    /** "Usual cause: …" */
    cause(cause: HtuCause): string;
    part(part: HtuLensPart): string;
    /** A row's comparison: Same, Differs, Differs: trailing slash, Ignored (stripped). */
    row(row: HtuLensRow, lens: HtuLens): string;
    server: string;
    proof: string;
    none: string;
    defaultPortNote(port: string): string;
  };
  clock: {
    title: string;
    position(clock: ClockLine): string;
    iat: string;
    serverTime: string;
    delta: string;
    window: string;
    skew: string;
    seconds(value: string): string;
    windowValue(past: number, future: number): string;
    skewValue(value: string, date: string): string;
    dateUnreadable: string;
  };
  nonce: {
    title: string;
    /** The flag of a request sent without a proof. */
    flag: string;
    /** An event's sentence; `value` formats a nonce (code in Markdown). */
    event(event: NonceEvent, value: (text: string) => string): string;
  };
}

/** A whole number of seconds with its sign: +5, −600, ±0 (the lens and the text show skews the same way). */
export function signedSeconds(n: number): string {
  const rounded = Math.round(n);
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)}`;
}

const PART_NAMES: Record<HtuLensPart | 'trailing-slash' | 'url', string> = {
  scheme: 'scheme',
  host: 'host',
  port: 'port',
  path: 'path',
  query: 'query',
  fragment: 'fragment',
  'trailing-slash': 'trailing slash',
  url: 'URL',
};

const CAUSES: Record<HtuCause, string> = {
  proxy: 'a proxy or load balancer in front of the server (the client built htu from an internal address or scheme).',
  'path-prefix': 'a path prefix (a mount path or reverse-proxy prefix) on one side only.',
  'default-port': 'a default port (80/443) written for the wrong scheme, or a port the public URL does not have.',
  'trailing-slash': 'the same path with and without a final “/”; trailing slashes are significant.',
  'path-case': 'the same path in another letter case; paths are case-sensitive.',
  'another-endpoint': 'a proof made for another endpoint; each request needs its own proof.',
  'another-host': 'another host name (e.g. a custom domain against the canonical tenant domain).',
  'not-a-url': 'htu must be the absolute URL of the request.',
};

/** English: the en catalogue's `dpopTools` sentences (test/unit/shared/explain/copy-text.test.ts keeps them equal). */
export const ENGLISH_DPOP_WORDS: DpopTextWords = {
  colon: ': ',
  lens: {
    title: 'htu lens',
    verdict: (lens) => (lens.equal ? 'The proof’s htu matches the URL the server computed.' : `The ${PART_NAMES[lens.differs ?? 'url']} differs.`),
    cause: (cause) => `Usual cause: ${CAUSES[cause]}`,
    part: (part) => PART_NAMES[part],
    row: (row, lens) =>
      row.differs ? (lens.differs === 'trailing-slash' ? 'Differs: trailing slash' : 'Differs') : row.ignored ? 'Ignored (stripped)' : 'Same',
    server: 'URL the server computed',
    proof: 'Proof’s htu',
    none: '(none)',
    defaultPortNote: (port) => `The proof writes the default port ${port}; it is dropped before comparing (accepted).`,
  },
  clock: {
    title: 'Clock',
    position: (clock) =>
      clock.position === 'inside'
        ? 'The proof’s iat is inside the server’s window.'
        : clock.position === 'too-old'
          ? 'The proof is too old for the server’s window.'
          : 'The proof’s iat is too far in the future for the server’s window.',
    iat: 'Proof iat',
    serverTime: 'Server time',
    delta: 'iat − server time',
    window: 'Allowed window',
    skew: 'Measured skew',
    seconds: (value) => `${value} s`,
    windowValue: (past, future) => `${past.toLocaleString('en')} s before to ${future.toLocaleString('en')} s after the server time`,
    skewValue: (value, date) => `${value} s against the response Date (${date})`,
    dateUnreadable: 'The response Date is not a time; the skew was not measured.',
  },
  nonce: {
    title: 'Nonce history',
    flag: 'No proof',
    event: (event, value) => {
      switch (event.kind) {
        case 'sent-without-proof':
          return `Request ${event.attempt} was sent without a DPoP proof.`;
        case 'sent':
          return event.nonce === undefined
            ? `Request ${event.attempt} was sent with a proof without a nonce.`
            : `Request ${event.attempt} was sent with a proof carrying the nonce ${value(event.nonce)}.`;
        case 'challenge':
          return `The server answered ${event.status} with a nonce challenge, nonce ${value(event.nonce)}.`;
        case 'rotation':
          return `The server rotated its nonce from ${value(event.from)} to ${value(event.to)}.`;
        case 'answered':
          return `The server answered ${event.status}.`;
      }
    },
  },
};

/** How the caller writes Markdown: a value as code, prose escaped. */
export interface DpopTextFormat {
  markdown: boolean;
  /** A value (URL, nonce, time) as the format writes it. */
  value(text: string): string;
  /** Prose (a sentence of the words) as the format writes it. */
  prose(text: string): string;
}

/**
 * The DPoP views as lines, each view a block: its title with its verdict, then its facts as a list
 * (Markdown) or indented (plain). Only the lens rows that matter are listed (the differing one, an ignored
 * query or fragment); the two URLs show the rest. Empty when the explanation has no DPoP view.
 */
export function dpopTextLines(dpop: ExplanationDpop | undefined, words: DpopTextWords, f: DpopTextFormat): string[] {
  if (dpop === undefined) return [];
  const blocks: string[][] = [];
  const fact = (text: string) => (f.markdown ? `- ${text}` : `  ${text}`);
  const { colon } = words;
  const heading = (title: string, text: string) =>
    f.markdown ? `**${f.prose(title)}**${text === '' ? '' : `${colon}${f.prose(text)}`}` : `${title}${text === '' ? '' : `${colon}${text}`}`;
  const labelled = (label: string, text: string) => fact(`${f.markdown ? f.prose(label) : label}${colon}${text}`);
  const shown = (text: string, none: string) => (text === '' ? none : f.value(text));

  const { lens, clock, nonces } = dpop;
  if (lens !== undefined) {
    const w = words.lens;
    const verdict = lens.cause === undefined ? w.verdict(lens) : `${w.verdict(lens)} ${w.cause(lens.cause)}`;
    const lines = [heading(w.title, verdict), labelled(w.server, f.value(lens.expected)), labelled(w.proof, f.value(lens.actual))];
    for (const row of lens.rows.filter((r) => r.differs || r.ignored)) {
      const values = `${w.server}${colon}${shown(row.expected, w.none)} · ${w.proof}${colon}${shown(row.actual, w.none)}`;
      lines.push(fact(`${f.markdown ? f.prose(w.part(row.part)) : w.part(row.part)} — ${w.row(row, lens)} (${values})`));
    }
    if (lens.defaultPortWritten !== undefined) lines.push(fact(f.prose(w.defaultPortNote(lens.defaultPortWritten))));
    blocks.push(lines);
  }
  if (clock !== undefined) {
    const w = words.clock;
    const lines = [
      heading(w.title, w.position(clock)),
      labelled(w.iat, `${f.value(isoSeconds(clock.iat))} (${clock.iat})`),
      labelled(w.serverTime, f.value(isoSeconds(clock.serverTime))),
      labelled(w.delta, w.seconds(signedSeconds(clock.delta))),
      labelled(w.window, w.windowValue(clock.pastSeconds, clock.futureSeconds)),
    ];
    if (clock.measuredSkew !== undefined && clock.responseDate !== undefined)
      lines.push(labelled(w.skew, w.skewValue(signedSeconds(clock.measuredSkew), f.value(isoSeconds(clock.responseDate)))));
    if (dpop.dateUnreadable === true) lines.push(fact(f.prose(w.dateUnreadable)));
    blocks.push(lines);
  }
  if (nonces !== undefined && nonces !== null && nonces.length > 0) {
    const w = words.nonce;
    const lines = [heading(w.title, '')];
    nonces.forEach((event, i) => {
      const flag = event.kind === 'sent-without-proof' ? (f.markdown ? `**${f.prose(w.flag)}** ` : `[${w.flag}] `) : '';
      lines.push(f.markdown ? `${i + 1}. ${flag}${w.event(event, f.value)}` : `  ${i + 1}. ${flag}${w.event(event, f.value)}`);
    });
    blocks.push(lines);
  }
  return blocks.flatMap((block, i) => (i === 0 ? block : ['', ...block]));
}
