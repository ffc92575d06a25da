/**
 * Reading a case file: JSON, then the `parley-case/1` schema. A file that is not JSON, another kind of
 * JSON, a newer format or a damaged case each get an error that names the problem (and where it is).
 */
import { ParleyError } from '../../../shared/errors';
import type { CaseFile } from '../../../shared/schemas/case';
import { CASE_FORMAT, caseFileSchema } from '../../../shared/schemas/case';

function invalid(message: string, reason: string): ParleyError {
  return new ParleyError('INVALID_INPUT', message, { details: { reason } });
}

/** Parses and validates a case file's text. */
export function parseCaseFile(text: string): CaseFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalid(
      `This file is not JSON (${e instanceof Error ? e.message : String(e)}). A case file is the .parleycase file that "Export case" saves.`,
      'not-json',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`This is not a Parley case file: it is JSON, but not an object with "format": "${CASE_FORMAT}".`, 'not-a-case');
  }
  const format = (value as Record<string, unknown>)['format'];
  if (format === undefined)
    throw invalid(`This is not a Parley case file: it has no "format" member (a case file says "format": "${CASE_FORMAT}").`, 'not-a-case');
  if (typeof format === 'string' && format.startsWith('parley-case/') && format !== CASE_FORMAT) {
    throw invalid(`This case file has the format ${format}, which this version of Parley cannot read (it reads ${CASE_FORMAT}).`, 'unsupported-version');
  }
  if (format !== CASE_FORMAT)
    throw invalid(`This is not a Parley case file: its format is ${JSON.stringify(format).slice(0, 100)}, not "${CASE_FORMAT}".`, 'not-a-case');
  const parsed = caseFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0];
    const where = first ? first.path.map(String).join('.') || '(the file)' : '(the file)';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw invalid(`The case file is damaged or incomplete at ${where}: ${first?.message ?? 'invalid'}${more}.`, 'invalid-case');
  }
  return parsed.data;
}
