/** How the detail view splits the terminal: pure arithmetic, so it is tested at 80×24 and up. */

/** Widths and line counts of each detail section. */
export interface DetailLayout {
  /** Charts beside the lists (wide) or above them (narrow). */
  readonly wide: boolean;
  readonly leftWidth: number;
  readonly rightWidth: number;
  readonly priceHeight: number;
  readonly equityHeight: number;
  readonly orderLines: number;
  readonly tradeLines: number;
  readonly logLines: number;
}

/** Terminals at least this wide show the lists beside the charts. */
export const WIDE_DETAIL_COLUMNS = 120;
const RISK_LINES = 1;

/** Splits `height` lines (titles included) among the sections. */
export function detailLayout(width: number, height: number): DetailLayout {
  const lines = Math.max(10, height);
  if (width >= WIDE_DETAIL_COLUMNS) {
    const leftWidth = Math.floor(width * 0.55);
    const orderLines = Math.min(6, Math.max(2, Math.floor(lines * 0.15)));
    const chartLines = lines - RISK_LINES - orderLines;
    const priceHeight = Math.ceil(chartLines * 0.65);
    const tradeLines = Math.ceil(lines / 2);
    return {
      wide: true,
      leftWidth,
      rightWidth: width - leftWidth - 1,
      priceHeight,
      equityHeight: chartLines - priceHeight,
      orderLines,
      tradeLines,
      logLines: lines - tradeLines,
    };
  }
  const priceHeight = Math.max(4, Math.floor(lines * 0.35));
  const equityHeight = Math.max(3, Math.floor(lines * 0.15));
  const orderLines = 2;
  const rest = Math.max(4, lines - priceHeight - equityHeight - RISK_LINES - orderLines);
  const tradeLines = Math.ceil(rest / 2);
  return {
    wide: false,
    leftWidth: width,
    rightWidth: width,
    priceHeight,
    equityHeight,
    orderLines,
    tradeLines,
    logLines: rest - tradeLines,
  };
}
