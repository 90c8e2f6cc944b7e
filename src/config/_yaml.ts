/**
 * The `yaml` package's ES module build. Its `node` export is CommonJS, and loading it costs
 * a backtest about 60 ms before the first candle (the CommonJS loader and some forty files
 * through it); the ES build is the same code as modules, loaded in about 10 ms. The types are
 * the package's own.
 */
// @ts-types="yaml"
export {
  type Document,
  isMap,
  isScalar,
  LineCounter,
  parse,
  parseDocument,
} from "../../node_modules/yaml/browser/dist/index.js";
