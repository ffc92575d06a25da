/**
 * The DPoP views' words in the UI language, without React: a lens part's name, the usual cause of an htu
 * difference, a nonce event's sentence. The Explain screen's lens, clock line and nonce history
 * (./dpop-lens.tsx) and the copied text (shared/explain/dpop-text.ts) are made of the same catalogue keys.
 */
import type { TFunction } from 'i18next';
import type { HtuLensPart, NonceEvent } from '../../../../shared/explain/dpop';
import type { DpopTextWords } from '../../../../shared/explain/dpop-text';
import type { HtuCause } from '../../../../shared/jwt/dpop-htu';
import { labelColon } from '../../i18n/format';

/** A lens part's name (also "trailing slash" and "URL", the differing parts that are not rows). */
export function partName(t: TFunction, part: HtuLensPart | 'trailing-slash' | 'url'): string {
  switch (part) {
    case 'scheme':
      return t('dpopTools.lens.parts.scheme');
    case 'host':
      return t('dpopTools.lens.parts.host');
    case 'port':
      return t('dpopTools.lens.parts.port');
    case 'path':
      return t('dpopTools.lens.parts.path');
    case 'query':
      return t('dpopTools.lens.parts.query');
    case 'fragment':
      return t('dpopTools.lens.parts.fragment');
    case 'trailing-slash':
      return t('dpopTools.lens.parts.trailingSlash');
    case 'url':
      return t('dpopTools.lens.parts.url');
  }
}

/** The usual cause of an htu difference, in the UI language. */
export function causeText(t: TFunction, cause: HtuCause): string {
  switch (cause) {
    case 'proxy':
      return t('dpopTools.lens.causes.proxy');
    case 'path-prefix':
      return t('dpopTools.lens.causes.pathPrefix');
    case 'default-port':
      return t('dpopTools.lens.causes.defaultPort');
    case 'trailing-slash':
      return t('dpopTools.lens.causes.trailingSlash');
    case 'path-case':
      return t('dpopTools.lens.causes.pathCase');
    case 'another-endpoint':
      return t('dpopTools.lens.causes.anotherEndpoint');
    case 'another-host':
      return t('dpopTools.lens.causes.anotherHost');
    case 'not-a-url':
      return t('dpopTools.lens.causes.notAUrl');
  }
}

/** A nonce event's sentence; `value` formats a nonce (as it is on screen, as code in Markdown). */
export function eventText(t: TFunction, event: NonceEvent, value: (text: string) => string = (text) => text): string {
  switch (event.kind) {
    case 'sent-without-proof':
      return t('dpopTools.nonce.sentWithoutProof', { attempt: event.attempt });
    case 'sent':
      return event.nonce === undefined
        ? t('dpopTools.nonce.sentNoNonce', { attempt: event.attempt })
        : t('dpopTools.nonce.sentWithNonce', { attempt: event.attempt, nonce: value(event.nonce) });
    case 'challenge':
      return t('dpopTools.nonce.challenge', { attempt: event.attempt, status: event.status, nonce: value(event.nonce) });
    case 'rotation':
      return t('dpopTools.nonce.rotation', { attempt: event.attempt, from: value(event.from), to: value(event.to) });
    case 'answered':
      return t('dpopTools.nonce.answered', { attempt: event.attempt, status: event.status });
  }
}

/** The DPoP views' words for the copied text, from the catalogue keys the screen shows. */
export function dpopTextWords(t: TFunction, language: string): DpopTextWords {
  return {
    colon: labelColon(language),
    lens: {
      title: t('dpopTools.lens.title'),
      verdict: (lens) => (lens.equal ? t('dpopTools.lens.equal') : t('dpopTools.lens.differs', { part: partName(t, lens.differs ?? 'url') })),
      cause: (cause) => t('dpopTools.lens.cause', { cause: causeText(t, cause) }),
      part: (part) => partName(t, part),
      row: (row, lens) =>
        row.differs
          ? lens.differs === 'trailing-slash'
            ? t('dpopTools.lens.rowTrailingSlash')
            : t('dpopTools.lens.rowDiffers')
          : row.ignored
            ? t('dpopTools.lens.rowIgnored')
            : t('dpopTools.lens.rowSame'),
      server: t('dpopTools.lens.server'),
      proof: t('dpopTools.lens.proof'),
      none: t('dpopTools.lens.none'),
      defaultPortNote: (port) => t('dpopTools.lens.defaultPortNote', { port }),
    },
    clock: {
      title: t('dpopTools.clock.title'),
      position: (clock) =>
        clock.position === 'inside' ? t('dpopTools.clock.inside') : clock.position === 'too-old' ? t('dpopTools.clock.tooOld') : t('dpopTools.clock.tooNew'),
      iat: t('dpopTools.clock.iat'),
      serverTime: t('dpopTools.clock.serverTime'),
      delta: t('dpopTools.clock.delta'),
      window: t('dpopTools.clock.window'),
      skew: t('dpopTools.clock.skew'),
      seconds: (value) => t('dpopTools.clock.seconds', { value }),
      windowValue: (past, future) => t('dpopTools.clock.windowValue', { past, future }),
      skewValue: (value, date) => t('dpopTools.clock.skewValue', { value, date }),
      dateUnreadable: t('dpopTools.clock.dateUnreadable'),
    },
    nonce: {
      title: t('dpopTools.nonce.title'),
      flag: t('dpopTools.nonce.flag'),
      event: (event, value) => eventText(t, event, value),
    },
  };
}
