/** Deployment: docker-compose.yml generation, per-container permission flags, health checks. */
export {
  type ComposeSpec,
  renderComposeFile,
  TRADER_CONFIG_ENV,
  traderEntrypoint,
  type TraderService,
} from "./compose_file.ts";
export {
  permissionFlags,
  type PermissionSet,
  permissionSet,
  type PermissionValue,
} from "./permission_flags.ts";
export {
  checkInstanceHealth,
  DEFAULT_MAX_HEARTBEAT_AGE_MS,
  type HealthVerdict,
  maxHeartbeatAgeMs,
} from "./instance_health.ts";
