/**
 * A rule's `source` (e.g. `RFC 9101 §4, §10.8; Auth0 JAR docs (A1)`) as text parts, each RFC section
 * linked to its page on rfc-editor.org. Everything else stays plain text: the vendor sources are named
 * by their ids in the spec's source list (server-rules.md §16).
 */

/** One piece of a source: text, and a link when it names an RFC (section). */
export interface SourcePart {
  text: string;
  href?: string;
}

const RFC = /RFC\s?(\d{3,5})/g;
/** `§4`, `§4.1.4–4.1.5`, `§3 item 3`, `§A.1`, right at the start (after optional spaces). */
const FIRST_SECTION = /^(\s*)§\s?([0-9A-Z](?:[0-9A-Za-z.]*[0-9A-Za-z])?)((?:[–-][0-9.]*[0-9])?(?:\s+items?\s+[0-9]+(?:[–-][0-9]+)?)?)/;
/** `, §10.8` after a section. */
const NEXT_SECTION = /^(\s*,\s*)§\s?([0-9A-Z](?:[0-9A-Za-z.]*[0-9A-Za-z])?)((?:[–-][0-9.]*[0-9])?(?:\s+items?\s+[0-9]+(?:[–-][0-9]+)?)?)/;

/** The rfc-editor.org address of an RFC, or of one of its sections. */
export function rfcHref(rfc: string, section?: string): string {
  const base = `https://www.rfc-editor.org/rfc/rfc${rfc}`;
  if (section === undefined || section === '') return base;
  // Appendices are `#appendix-A.1`, numbered sections `#section-4.1.4`.
  return /^[A-Z]/.test(section) ? `${base}#appendix-${section}` : `${base}#section-${section}`;
}

/**
 * Splits a source into parts: `RFC 9101 §4, §10.8` becomes `RFC 9101 §4` (linked to §4), `, ` and
 * `§10.8` (linked to §10.8); an RFC named without a section links to the RFC itself. Joining the
 * parts' texts gives the source back unchanged.
 */
export function sourceParts(source: string): SourcePart[] {
  const parts: SourcePart[] = [];
  const text = (t: string) => {
    if (t === '') return;
    const previous = parts[parts.length - 1];
    if (previous !== undefined && previous.href === undefined) previous.text += t;
    else parts.push({ text: t });
  };
  let last = 0;
  for (const match of source.matchAll(RFC)) {
    if (match.index < last) continue;
    text(source.slice(last, match.index));
    const rfc = match[1]!;
    let pos = match.index + match[0].length;
    const first = FIRST_SECTION.exec(source.slice(pos));
    if (first === null) {
      parts.push({ text: match[0], href: rfcHref(rfc) });
    } else {
      parts.push({ text: match[0] + first[0], href: rfcHref(rfc, first[2]) });
      pos += first[0].length;
      for (let next = NEXT_SECTION.exec(source.slice(pos)); next !== null; next = NEXT_SECTION.exec(source.slice(pos))) {
        text(next[1]!);
        parts.push({ text: next[0].slice(next[1]!.length), href: rfcHref(rfc, next[2]) });
        pos += next[0].length;
      }
    }
    last = pos;
  }
  text(source.slice(last));
  return parts;
}
