/**
 * Kept only because `src/app/load_config.ts` still imports `createStrategy` from here; the engine
 * parts are built in `src/engine/`. Import `src/engine/create_strategy.ts` instead.
 */
export { createStrategy } from "../engine/create_strategy.ts";
