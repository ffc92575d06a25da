/**
 * The flow engine's redaction: what of an HTTP exchange may enter a run, an event or the history. The code
 * is shared (shared/redact/secrets.ts), since HAR import strips a customer's file with the same rules.
 */
export {
  REDACTED,
  SECRET_FIELDS,
  redactBody,
  redactForm,
  redactHeaders,
  redactJsonText,
  redactRun,
  redactUrl,
  unsignedBearer,
} from '../../../shared/redact/secrets';
