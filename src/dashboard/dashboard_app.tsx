/** The live dashboard: the hook's state rendered by the props-only view. */
import { DashboardView } from "./dashboard_view.tsx";
import { useDashboard, type UseDashboardOptions } from "./use_dashboard.ts";

/** Props of the live app: the hook's options plus display settings. */
export interface DashboardAppProps extends UseDashboardOptions {
  readonly colour: boolean;
}

/** Connects `useDashboard` to `DashboardView`. */
export function DashboardApp(props: DashboardAppProps) {
  const { state, width, height } = useDashboard(props);
  return (
    <DashboardView
      state={state}
      width={width}
      height={height}
      dbLabel={props.source.label}
      refreshMs={props.refreshMs}
      colour={props.colour}
    />
  );
}
