/** Config: the instance config schema, YAML loading with line numbers, overrides and env settings. */
export { type InstanceConfig, InstanceConfigSchema } from "./instance_config_schema.ts";
export {
  loadInstanceConfig,
  type ParseConfigOptions,
  parseInstanceConfig,
  peekStrategyModule,
} from "./load_instance_config.ts";
export { applyOverrides, parseOverride } from "./apply_overrides.ts";
export { type ConfigKeyDescription, describeConfigKeys } from "./describe_config_keys.ts";
export { DEFAULT_STAKE_PCT, parseConfigDate } from "./config_checks.ts";
export {
  type ExchangeContext,
  exchangeProblems,
  type ExchangeRules,
  type MarketLimits,
} from "./exchange_checks.ts";
export {
  modulePathProblem,
  type ModuleStrategy,
  REGISTRY_CATALOG,
  type StrategyCatalog,
} from "./check_strategy.ts";
export { MAX_CONFIG_BYTES, readConfigFile } from "./read_config_file.ts";
export { closestMatch } from "./did_you_mean.ts";
export { Secret } from "./secret.ts";
export {
  type EnvFileResult,
  exchangeApiUrl,
  type ExchangeCredentials,
  exchangeCredentials,
  loadEnvFile,
  readSettings,
  type Settings,
} from "./env.ts";
