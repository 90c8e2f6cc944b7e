/** Dashboard: a read-only Ink view of every instance in the shared DB. */
export { DashboardApp, type DashboardAppProps } from "./dashboard_app.tsx";
export { DashboardView, type DashboardViewProps } from "./dashboard_view.tsx";
export {
  type DashboardDataSource,
  type SourceReading,
  SqliteDashboardSource,
} from "./dashboard_source.ts";
export { type OverviewTextOptions, renderOverviewText } from "./overview_text.tsx";
export * from "./state.ts";
