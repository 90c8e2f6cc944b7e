/** LogTape setup: JSON lines to `<logDir>/<name>.jsonl` (rotated) and readable lines to stderr. */
import {
  configureSync,
  dispose,
  getLogger as getLogTapeLogger,
  getTextFormatter,
  jsonLinesFormatter,
  type Logger,
  type LogLevel,
  type LogRecord,
  type Sink,
  type TextFormatter,
} from "@logtape/logtape";
import { getRotatingFileSink } from "@logtape/file";
import { redactByField, redactByPattern } from "@logtape/redaction";
import { InputError } from "../core/errors.ts";
import { REDACTED, SECRET_FIELDS, SECRET_PATTERNS } from "./redaction.ts";

/** Levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;

/** A `LOG_LEVEL` value. */
export type LogLevelName = typeof LOG_LEVELS[number];

/** Where and how much to log. */
export interface LoggingOptions {
  /** Instance or task name: the file is `<logDir>/<name>.jsonl`. */
  readonly name: string;
  readonly logDir: string;
  readonly level?: LogLevelName;
  /** Bytes per file before rotating; 10 MB by default. */
  readonly maxFileBytes?: number;
  /** Files kept including the current one; 5 by default. */
  readonly maxFiles?: number;
  /** Readable lines to stderr; on by default. */
  readonly stderr?: boolean;
}

const ROOT = "trading";

/** Parses `LOG_LEVEL` (empty: `info`); anything else is a one-line `InputError`. */
export function parseLogLevel(text: string | undefined): LogLevelName {
  const value = (text ?? "").trim() || "info";
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevelName;
  throw new InputError(
    `Cannot read environment: LOG_LEVEL: must be one of ${LOG_LEVELS.join(", ")} (got "${value}")`,
  );
}

function stderrSink(formatter: TextFormatter): Sink {
  const encoder = new TextEncoder();
  return (record: LogRecord) => {
    Deno.stderr.writeSync(encoder.encode(formatter(record)));
  };
}

/** Configures logging for this process; call once from a task. Redaction applies to every sink. */
export function setupLogging(options: LoggingOptions): void {
  Deno.mkdirSync(options.logDir, { recursive: true });
  const redactFields = { fieldPatterns: SECRET_FIELDS, action: () => REDACTED };
  const file = getRotatingFileSink(`${options.logDir}/${options.name}.jsonl`, {
    formatter: redactByPattern(jsonLinesFormatter, SECRET_PATTERNS),
    maxSize: options.maxFileBytes ?? 10 * 1024 * 1024,
    maxFiles: options.maxFiles ?? 5,
  });
  const text = getTextFormatter({ timestamp: "date-time" });
  const sinks: Record<string, Sink> = { file: redactByField(file, redactFields) };
  if (options.stderr ?? true) {
    sinks.stderr = redactByField(stderrSink(redactByPattern(text, SECRET_PATTERNS)), redactFields);
  }
  const level: LogLevel = options.level ?? "info";
  configureSync({
    reset: true,
    sinks,
    loggers: [
      { category: [ROOT], lowestLevel: level, sinks: Object.keys(sinks) },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: Object.keys(sinks) },
    ],
  });
}

/** A logger under the app's root category, e.g. `getLogger("backfill")`. */
export function getLogger(category: string | readonly string[]): Logger {
  const parts = typeof category === "string" ? [category] : [...category];
  return getLogTapeLogger([ROOT, ...parts]);
}

/** Flushes and closes the sinks; call before the process exits. */
export async function shutdownLogging(): Promise<void> {
  await dispose();
}
