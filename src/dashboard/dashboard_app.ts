/** The live dashboard: the hook's state rendered by the props-only view. */
import { createElement as h } from "react";
import { DashboardView } from "./dashboard_view.ts";
import { useDashboard, type UseDashboardOptions } from "./use_dashboard.ts";

/** Props of the live app: the hook's options plus display settings. */
export interface DashboardAppProps extends UseDashboardOptions {
  readonly colour: boolean;
}

/** Connects `useDashboard` to `DashboardView`. */
export function DashboardApp(props: DashboardAppProps) {
  const { state, width, height } = useDashboard(props);
  return h(DashboardView, {
    state,
    width,
    height,
    dbLabel: props.source.label,
    refreshMs: props.refreshMs,
    colour: props.colour,
  });
}
