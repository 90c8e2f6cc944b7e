/** The dashboard's whole state and its pure reducer. The hook feeds it data and keys. */
import type { CommandAction } from "../storage/command_repo.ts";
import type { DashboardSnapshot, InstanceDetail } from "../storage/dashboard_repo.ts";
import { type InstanceView, toInstanceView } from "./instance_view.ts";

/** Which screen is shown. */
export type View = "overview" | "detail" | "help";

/** Keys the table sorts by, cycled with `s`. */
export const SORT_KEYS = ["name", "status", "equity", "today", "unrealized", "mode"] as const;
/** A sort key. */
export type SortKey = typeof SORT_KEYS[number];

/** With `--control`: the key of each operator action on the selected instance. */
export const CONTROL_KEYS: Readonly<Record<string, CommandAction>> = {
  p: "pause",
  r: "resume",
  t: "stop",
  e: "exit",
};

/** An operator action on one instance. */
export interface ControlRequest {
  readonly name: string;
  readonly action: CommandAction;
}

/** Everything on screen, as data. */
export interface DashboardState {
  readonly view: View;
  /** The view `?` was pressed in, to return to. */
  readonly returnView: "overview" | "detail";
  /** Selected instance by name, so the selection survives sorting and refreshes. */
  readonly selectedName: string | null;
  readonly sortKey: SortKey;
  readonly sortDescending: boolean;
  readonly filterText: string;
  readonly filterEditing: boolean;
  readonly snapshot: DashboardSnapshot | null;
  /** Time of the last successful refresh; derived statuses use it. */
  readonly nowMs: number;
  readonly refreshTookMs: number | null;
  readonly dbSizeBytes: number | null;
  readonly detail: InstanceDetail | null;
  readonly logLines: readonly string[];
  readonly error: string | null;
  readonly quit: boolean;
  /** `--control`: the action keys send commands; otherwise the dashboard is read-only. */
  readonly control: boolean;
  /** An action waiting for `y` on the confirmation line. */
  readonly confirm: ControlRequest | null;
  /** A confirmed action the hook is to send. */
  readonly request: ControlRequest | null;
  /** The command sent and not acknowledged yet. */
  readonly awaitingId: number | null;
  /** What became of the last action: sent, refused, or its acknowledgement. */
  readonly controlLine: string | null;
}

/** A key press, in the shape of Ink's `useInput` (only the fields used). */
export interface KeyPress {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
}

/** Everything that changes the state. */
export type DashboardAction =
  | {
    readonly type: "snapshot";
    readonly snapshot: DashboardSnapshot;
    readonly nowMs: number;
    readonly tookMs: number;
    readonly dbSizeBytes: number | null;
  }
  | { readonly type: "detail"; readonly name: string; readonly detail: InstanceDetail }
  | { readonly type: "logs"; readonly name: string; readonly lines: readonly string[] }
  | { readonly type: "error"; readonly message: string; readonly nowMs: number }
  | { readonly type: "key"; readonly key: KeyPress }
  | { readonly type: "sent"; readonly id: number; readonly request: ControlRequest }
  | { readonly type: "refused"; readonly message: string }
  | { readonly type: "acknowledged"; readonly line: string };

/** The state before the first refresh; `control` enables the action keys. */
export function initialState(nowMs: number, control = false): DashboardState {
  return {
    view: "overview",
    returnView: "overview",
    selectedName: null,
    sortKey: "name",
    sortDescending: false,
    filterText: "",
    filterEditing: false,
    snapshot: null,
    nowMs,
    refreshTookMs: null,
    dbSizeBytes: null,
    detail: null,
    logLines: [],
    error: null,
    quit: false,
    control,
    confirm: null,
    request: null,
    awaitingId: null,
    controlLine: null,
  };
}

/** The pure reducer. */
export function reduce(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case "snapshot":
      return keepSelection({
        ...state,
        snapshot: action.snapshot,
        nowMs: action.nowMs,
        refreshTookMs: action.tookMs,
        dbSizeBytes: action.dbSizeBytes,
        error: null,
      });
    case "detail":
      return action.name === state.selectedName ? { ...state, detail: action.detail } : state;
    case "logs":
      return action.name === state.selectedName ? { ...state, logLines: action.lines } : state;
    case "error":
      return { ...state, error: action.message, nowMs: action.nowMs };
    case "key":
      if (state.filterEditing) return editFilter(state, action.key);
      return state.confirm !== null ? onConfirm(state, action.key) : onKey(state, action.key);
    case "sent":
      return {
        ...state,
        request: null,
        awaitingId: action.id,
        controlLine: `${action.request.action} ${action.request.name}: sent, waiting for ` +
          "the trader's acknowledgement…",
      };
    case "refused":
      return { ...state, request: null, controlLine: action.message };
    case "acknowledged":
      return { ...state, awaitingId: null, controlLine: action.line };
  }
}

/** The instances shown, filtered and sorted, with derived values. */
export function visibleInstances(state: DashboardState): InstanceView[] {
  const views = (state.snapshot?.instances ?? []).map((row) => toInstanceView(row, state.nowMs));
  const needle = state.filterText.trim().toLowerCase();
  const kept = needle === "" ? views : views.filter((view) => matches(view, needle));
  const direction = state.sortDescending ? -1 : 1;
  return kept.sort((a, b) =>
    direction * compare(a, b, state.sortKey) || a.row.name.localeCompare(b.row.name)
  );
}

/** The selected instance's view, if it is visible. */
export function selectedInstance(state: DashboardState): InstanceView | null {
  return visibleInstances(state).find((view) => view.row.name === state.selectedName) ?? null;
}

function onKey(state: DashboardState, key: KeyPress): DashboardState {
  if (state.view === "help") {
    return key.escape || key.input === "?" || key.input === "q"
      ? { ...state, view: state.returnView, quit: key.input === "q" }
      : state;
  }
  if (key.input === "q" && !key.ctrl) return { ...state, quit: true };
  if (key.input === "?") return { ...state, view: "help", returnView: state.view };
  const control = CONTROL_KEYS[key.input];
  if (control !== undefined && !key.ctrl && !key.meta) return askToConfirm(state, control);
  if (state.view === "detail") {
    return key.escape ? { ...state, view: "overview", detail: null, logLines: [] } : state;
  }
  if (key.upArrow || key.input === "k") return moveSelection(state, -1);
  if (key.downArrow || key.input === "j") return moveSelection(state, 1);
  if (key.pageUp) return moveSelection(state, -10);
  if (key.pageDown) return moveSelection(state, 10);
  if (key.return && selectedInstance(state)) return { ...state, view: "detail", detail: null };
  if (key.input.startsWith("/")) {
    // "/" and what follows it can arrive in one read (a paste, a busy terminal): keep the text.
    const editing = { ...state, filterEditing: true };
    const rest = key.input.slice(1);
    return rest === "" ? editing : editFilter(editing, { ...key, input: rest });
  }
  if (key.escape && state.filterText !== "") return keepSelection({ ...state, filterText: "" });
  if (key.input === "s") return { ...state, sortKey: nextSortKey(state.sortKey) };
  if (key.input === "S") return { ...state, sortDescending: !state.sortDescending };
  return state;
}

// An action key: the confirmation line for the selected instance (or why nothing happens).
function askToConfirm(state: DashboardState, action: CommandAction): DashboardState {
  if (!state.control) {
    return {
      ...state,
      controlLine: "read-only: deno task dashboard-ctl enables pause, resume, stop and exit",
    };
  }
  const selected = selectedInstance(state);
  if (selected === null) return state;
  return { ...state, confirm: { name: selected.row.name, action } };
}

// `y` sends the action; any other key cancels it.
function onConfirm(state: DashboardState, key: KeyPress): DashboardState {
  const confirm = state.confirm!;
  if (key.input === "y" || key.input === "Y") {
    return { ...state, confirm: null, request: confirm, controlLine: null };
  }
  return { ...state, confirm: null, controlLine: `${confirm.action} ${confirm.name}: cancelled` };
}

function editFilter(state: DashboardState, key: KeyPress): DashboardState {
  if (key.return) return keepSelection({ ...state, filterEditing: false });
  if (key.escape) return keepSelection({ ...state, filterEditing: false, filterText: "" });
  if (key.backspace || key.delete) {
    return keepSelection({ ...state, filterText: state.filterText.slice(0, -1) });
  }
  if (key.ctrl || key.meta || key.input === "" || hasControl(key.input)) return state;
  return keepSelection({ ...state, filterText: state.filterText + key.input });
}

function moveSelection(state: DashboardState, by: number): DashboardState {
  const names = visibleInstances(state).map((view) => view.row.name);
  if (names.length === 0) return state;
  const at = names.indexOf(state.selectedName ?? "");
  const next = at < 0 ? 0 : Math.min(names.length - 1, Math.max(0, at + by));
  return { ...state, selectedName: names[next] };
}

// After data or filter changes, keep the selection on a visible row (the first if it vanished).
function keepSelection(state: DashboardState): DashboardState {
  if (state.view === "detail") return state;
  const names = visibleInstances(state).map((view) => view.row.name);
  if (state.selectedName !== null && names.includes(state.selectedName)) return state;
  return { ...state, selectedName: names[0] ?? null };
}

function nextSortKey(key: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(key) + 1) % SORT_KEYS.length];
}

function matches(view: InstanceView, needle: string): boolean {
  const { row, derived } = view;
  return [row.name, row.exchange, row.symbol, row.strategy, row.mode, derived.status]
    .some((field) => field.toLowerCase().includes(needle));
}

const STATUS_ORDER = ["error", "stale", "halted", "paused", "starting", "running", "stopped"];

function compare(a: InstanceView, b: InstanceView, key: SortKey): number {
  switch (key) {
    case "name":
      return a.row.name.localeCompare(b.row.name);
    case "status":
      return STATUS_ORDER.indexOf(a.derived.status) - STATUS_ORDER.indexOf(b.derived.status);
    case "equity":
      return numeric(b.row.equityQuote, a.row.equityQuote);
    case "today":
      return numeric(b.todayPnlQuote, a.todayPnlQuote);
    case "unrealized":
      return numeric(b.unrealizedPnlQuote, a.unrealizedPnlQuote);
    case "mode":
      return a.row.mode.localeCompare(b.row.mode);
  }
}

// Larger first; unknown values last.
function numeric(a: number | null, b: number | null): number {
  return (a ?? -Infinity) - (b ?? -Infinity) || 0;
}

function hasControl(text: string): boolean {
  return [...text].some((ch) => ch.charCodeAt(0) < 0x20);
}
