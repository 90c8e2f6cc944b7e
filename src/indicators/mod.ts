/** Streaming indicators: O(1) per input, `NaN` until warmed up, `warmup` exact. */
export type { Bar, Indicator, VolumeBar } from "./indicator.ts";
export { Sma } from "./sma.ts";
export { Ema } from "./ema.ts";
export { Rsi } from "./rsi.ts";
export { Macd, type MacdOptions } from "./macd.ts";
export { BollingerBands } from "./bollinger_bands.ts";
export { Atr } from "./atr.ts";
export { Stochastic } from "./stochastic.ts";
export { Donchian } from "./donchian.ts";
export { RollingVwap } from "./rolling_vwap.ts";
export { RollingMax, RollingMin } from "./rolling_extreme.ts";
export { Cross } from "./cross.ts";
export { SmaPairCross } from "./sma_pair_cross.ts";
