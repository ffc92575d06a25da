/**
 * What the compare panel shows of two runs, computed without React: the steps side by side and the
 * differences of the request parameters, the request object's claims and the ID token's claims.
 */
import { decodeCompactJwt } from '../../../../shared/jwt/decode';
import type { FlowRun, FlowStep, FlowStepName } from '../../../../shared/schemas/flows';
import { FLOW_STEP_NAMES } from '../../../../shared/schemas/flows';

/** One member compared: its value in each run (undefined: absent) and whether they differ. */
export interface DiffRow {
  key: string;
  a: string | undefined;
  b: string | undefined;
  differs: boolean;
}

/** One step compared. */
export interface StepRow {
  name: FlowStepName;
  a: FlowStep | undefined;
  b: FlowStep | undefined;
  /** Status, HTTP status or error differ (durations always do, so they do not count). */
  differs: boolean;
}

const JWT_MAX_BYTES = 1_100_000;

/** A value as text: strings as they are, anything else as JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Every key of either record, in the order they first appear (a's first), with both values. */
export function diffRecords(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): DiffRow[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return keys.map((key) => {
    const va = a && Object.hasOwn(a, key) ? valueText(a[key]) : undefined;
    const vb = b && Object.hasOwn(b, key) ? valueText(b[key]) : undefined;
    return { key, a: va, b: vb, differs: va !== vb };
  });
}

function stepOf(run: FlowRun, name: FlowStepName): FlowStep | undefined {
  return run.steps.find((s) => s.name === name);
}

function formOf(step: FlowStep | undefined): Record<string, string> | undefined {
  const request = step?.exchange?.request;
  if (request?.body === undefined || !request.headers['content-type']?.includes('application/x-www-form-urlencoded')) return undefined;
  return Object.fromEntries(new URLSearchParams(request.body));
}

/**
 * The request's parameters: the built authorization request, with the fields the PAR push added (client
 * authentication, the request object); for client_credentials, the token request's form.
 */
export function requestParameters(run: FlowRun): Record<string, unknown> | undefined {
  const built = stepOf(run, 'build')?.detail?.['parameters'];
  const params = typeof built === 'object' && built !== null ? (built as Record<string, unknown>) : undefined;
  const pushed = formOf(stepOf(run, 'push'));
  if (params || pushed) return { ...(params ?? {}), ...(pushed ?? {}) };
  return run.kind === 'client_credentials' ? formOf(stepOf(run, 'exchange')) : undefined;
}

function payloadOf(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    return decodeCompactJwt(token, { maxBytes: JWT_MAX_BYTES }).payload;
  } catch {
    return undefined;
  }
}

/** The signed request object's claims (JAR kinds). */
export function requestObjectClaims(run: FlowRun): Record<string, unknown> | undefined {
  for (const step of run.steps) {
    const jwt = step.jwts.find((j) => j.label === 'Request object');
    if (jwt) return payloadOf(jwt.token);
  }
  return undefined;
}

/** The ID token's claims: as verified, else decoded from the token received. */
export function idTokenClaims(run: FlowRun): Record<string, unknown> | undefined {
  if (run.idTokenClaims) return run.idTokenClaims;
  for (const step of [...run.steps].reverse()) {
    const jwt = step.jwts.find((j) => j.label === 'ID token');
    if (jwt) return payloadOf(jwt.token);
  }
  return undefined;
}

/** The steps of either run, in flow order. */
export function stepRows(a: FlowRun, b: FlowRun): StepRow[] {
  return FLOW_STEP_NAMES.flatMap((name) => {
    const sa = stepOf(a, name);
    const sb = stepOf(b, name);
    if (!sa && !sb) return [];
    const differs =
      sa?.status !== sb?.status ||
      sa?.exchange?.response?.status !== sb?.exchange?.response?.status ||
      sa?.error?.code !== sb?.error?.code ||
      sa?.error?.message !== sb?.error?.message;
    return [{ name, a: sa, b: sb, differs }];
  });
}

/** A long value shortened for display (JWTs mostly); the comparison always uses the whole value. */
export function shorten(text: string, max = 96): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
