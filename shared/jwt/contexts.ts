/**
 * What the request-object and client-assertion rules look at. The server fills these from a decoded
 * token and the request; the composer fills them from the draft it is editing. Header and payload are
 * untrusted JSON: every rule checks types before using a value.
 */
import type { AudienceStyle, ProfileId } from './profiles';

/** A decoded JOSE header or JWT payload (untrusted). */
export type JsonObject = Record<string, unknown>;

/** The outer parameters the request-object rules read (any parameter record is one). */
export type OuterParams = Readonly<{ client_id?: string; response_type?: string }>;

/** Context of the request-object (JAR, RFC 9101) rules. */
export interface RequestObjectContext {
  header: JsonObject;
  payload: JsonObject;
  /** The AS issuer, with its trailing slash (JAR-11). */
  issuer: string;
  /** The client being authorized: the outer query's `client_id`, or the client authenticated at PAR. */
  clientId: string;
  /**
   * The outer query parameters at /authorize (JAR-2, JAR-17); absent at PAR and in the composer. Only the
   * two the rules read: the server keeps rule contexts with its traces, so they hold no more than needed.
   */
  outerParams?: OuterParams;
  profile: ProfileId;
  /** The verifier's notion of now, in seconds (clock offset applied). */
  now: number;
  /** The algs registered for the slot's usable credentials (or the kid-selected one), for JWT-2/JAR-5. */
  credentialAlgs?: readonly string[];
  endpoint: 'authorize' | 'par';
}

/** Context of the client-assertion (private_key_jwt, RFC 7523) rules. */
export interface ClientAssertionContext {
  header: JsonObject;
  payload: JsonObject;
  /** The AS issuer, with its trailing slash. */
  issuer: string;
  /** The token endpoint URL. */
  tokenEndpoint: string;
  /** The URL of the endpoint receiving the assertion (token, PAR, revoke, …). */
  endpointUrl: string;
  /** The `client_id` form parameter, when sent (PKJ-3). */
  clientIdParam?: string;
  profile: ProfileId;
  /** The verifier's notion of now, in seconds (clock offset applied). */
  now: number;
  /** The algs of the `private_key_jwt` slot's usable credentials (or the kid-selected one), for PKJ-6. */
  credentialAlgs?: readonly string[];
  /** Overrides the profile's audience policy (PKJ-8). */
  audienceStyle?: AudienceStyle;
}

/** The fields every JWT rule needs, common to both contexts. */
export interface JwtRuleContext {
  header: JsonObject;
  payload: JsonObject;
  profile: ProfileId;
  now: number;
}
