/** Logging: LogTape with JSON-lines files, readable stderr and secret redaction. */
export * from "./setup_logging.ts";
export { REDACTED, SECRET_FIELDS, SECRET_PATTERNS } from "./redaction.ts";
