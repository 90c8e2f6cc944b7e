/** The dashboard's only effectful part: polling the DB and the log, keys, terminal size. */
import { useEffect, useReducer, useRef } from "react";
import { type Key, useApp, useInput, useWindowSize } from "ink";
import type { Clock } from "../core/ports.ts";
import type { CommandDesk } from "../control/command_desk.ts";
import type { InstanceCommand } from "../storage/command_repo.ts";
import { errorMessage } from "../core/errors.ts";
import type { DashboardDataSource } from "./dashboard_source.ts";
import { LogTail } from "./log_tail.ts";
import {
  type DashboardAction,
  type DashboardState,
  initialState,
  reduce,
  selectedInstance,
} from "./state.ts";

/** What the hook needs: a data source, a refresh period, a clock and the log directory. */
export interface UseDashboardOptions {
  readonly source: DashboardDataSource;
  readonly refreshMs: number;
  readonly clock: Clock;
  /** Directory of `<instance>.jsonl` logs; null to show no logs. */
  readonly logDir: string | null;
  /** `--control`: where the action keys send commands; absent: read-only. */
  readonly desk?: CommandDesk;
}

/** State plus the terminal size, for the props-only view. */
export interface DashboardModel {
  readonly state: DashboardState;
  readonly width: number;
  readonly height: number;
}

/** Polls every `refreshMs`, follows the selected instance's log, maps keys to actions. */
export function useDashboard(options: UseDashboardOptions): DashboardModel {
  const { source, refreshMs, clock, logDir, desk } = options;
  const [state, dispatch] = useReducer(
    reduce,
    clock.nowMs(),
    (nowMs: number) => initialState(nowMs, desk !== undefined),
  ) as [
    DashboardState,
    (action: DashboardAction) => void,
  ];
  const stateRef = useRef(state);
  stateRef.current = state;
  const tailRef = useRef(null as LogTail | null);
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();

  useInput((input: string, key: Key) => {
    dispatch({ type: "key", key: { ...key, input } });
  });

  useEffect(() => {
    const tick = () => refresh({ source, clock, logDir, dispatch, stateRef, tailRef });
    tick();
    const timer = setInterval(tick, refreshMs);
    return () => clearInterval(timer);
  }, [source, refreshMs, clock, logDir]);

  // Entering the detail view loads it at once instead of on the next tick.
  useEffect(() => {
    if (state.view !== "detail") {
      tailRef.current = null;
      return;
    }
    try {
      refreshDetail({ source, logDir, dispatch, stateRef, tailRef });
    } catch (error) {
      dispatch({
        type: "error",
        message: errorMessage(error).split("\n")[0],
        nowMs: clock.nowMs(),
      });
    }
  }, [state.view, state.selectedName]);

  // A confirmed action goes to the command table; its acknowledgement is polled on each tick.
  useEffect(() => {
    const request = state.request;
    if (request === null || desk === undefined) return;
    try {
      dispatch({ type: "sent", id: desk.request(request.name, request.action), request });
    } catch (error) {
      dispatch({ type: "refused", message: errorMessage(error).split("\n")[0] });
    }
  }, [state.request]);

  useEffect(() => {
    const id = state.awaitingId;
    if (id === null || desk === undefined) return;
    const check = () => {
      try {
        const command = desk.acknowledgement(id);
        if (command !== null) dispatch({ type: "acknowledged", line: shortAck(command) });
      } catch (error) {
        dispatch({ type: "refused", message: errorMessage(error).split("\n")[0] });
      }
    };
    const timer = setInterval(check, Math.min(refreshMs, 250));
    return () => clearInterval(timer);
  }, [state.awaitingId]);

  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit]);

  useEffect(() => () => {
    source.close();
    desk?.close();
  }, [source]);

  return { state, width: columns, height: rows };
}

interface RefreshContext {
  readonly source: DashboardDataSource;
  readonly logDir: string | null;
  readonly dispatch: (action: DashboardAction) => void;
  readonly stateRef: { current: DashboardState };
  readonly tailRef: { current: LogTail | null };
}

function refresh(context: RefreshContext & { clock: Clock }): void {
  const { source, clock, dispatch } = context;
  const nowMs = clock.nowMs();
  const started = performance.now();
  try {
    const reading = source.refresh(nowMs);
    if (context.stateRef.current.view === "detail") refreshDetail(context);
    const tookMs = performance.now() - started;
    dispatch({ type: "snapshot", ...reading, nowMs, tookMs });
  } catch (error) {
    dispatch({ type: "error", message: errorMessage(error).split("\n")[0], nowMs });
  }
}

function refreshDetail(context: RefreshContext): void {
  const { source, logDir, dispatch, stateRef, tailRef } = context;
  const selected = selectedInstance(stateRef.current);
  if (!selected) return;
  const name = selected.row.name;
  dispatch({ type: "detail", name, detail: source.detail(selected.row) });
  if (logDir === null) return;
  const path = `${logDir}/${name}.jsonl`;
  if (tailRef.current?.path !== path) tailRef.current = new LogTail(path);
  const lines = tailRef.current.poll();
  if (lines) dispatch({ type: "logs", name, lines: [...lines] });
}

/** `btc: pause acknowledged 12:00:03: entries paused (asked by dashboard:ana@box)`, fits a line. */
function shortAck(command: InstanceCommand): string {
  const time = new Date(command.ackedMs ?? 0).toISOString().slice(11, 19);
  return `${command.instance}: ${command.action} acknowledged ${time}: ${command.outcome} ` +
    `(asked by ${command.requestedBy})`;
}
