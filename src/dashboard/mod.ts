/** Dashboard: a read-only Ink view of every instance in the shared DB. */
export { DashboardApp, type DashboardAppProps } from "./dashboard_app.ts";
export { DashboardView, type DashboardViewProps } from "./dashboard_view.ts";
export {
  type DashboardDataSource,
  type SourceReading,
  SqliteDashboardSource,
} from "./dashboard_source.ts";
export { type OverviewTextOptions, renderOverviewText } from "./overview_text.ts";
export * from "./state.ts";
