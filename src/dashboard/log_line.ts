/** Turns one JSON-lines log record into one short display line. */

/** A log line ready to show: its level (for colour) and text. */
export interface LogLine {
  readonly level: string;
  readonly text: string;
}

/** Parses a LogTape JSON-lines record; anything that is not JSON is shown as it is. */
export function formatLogLine(raw: string): LogLine {
  let record: Record<string, unknown>;
  try {
    const parsed = JSON.parse(raw);
    if (parsed === null || typeof parsed !== "object") return { level: "", text: raw };
    record = parsed;
  } catch {
    return { level: "", text: raw };
  }
  const time = String(record["@timestamp"] ?? record.timestamp ?? record.time ?? "");
  const clock = /T(\d\d:\d\d:\d\d)/.exec(time)?.[1] ?? time.slice(0, 8);
  const level = String(record.level ?? "").toLowerCase();
  const message = record.message ?? record.msg ?? "";
  const text = typeof message === "string" ? message : JSON.stringify(message);
  const properties = record.properties;
  const extra = properties !== null && typeof properties === "object"
    ? Object.entries(properties).map(([key, value]) => `${key}=${short(value)}`).join(" ")
    : "";
  return {
    level,
    text: [clock, level.slice(0, 4).toUpperCase(), text, extra].filter(Boolean).join(" "),
  };
}

/** Colour of a log level. */
export function logLevelColour(level: string): string | undefined {
  if (level.startsWith("err") || level.startsWith("fatal")) return "red";
  if (level.startsWith("warn")) return "yellow";
  if (level.startsWith("debug") || level.startsWith("trace")) return "gray";
  return undefined;
}

function short(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
