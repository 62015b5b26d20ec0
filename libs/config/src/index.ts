export { envSchema, type Env } from './config.schema';
export { isRedisClusterUrl, parseRedisClusterUrl, type RedisClusterAddress } from './redis-url';
export { parseConfig, loadConfig, ConfigError, type AppConfig, type AuthConfig, type OidcConfig } from './config';
export {
  parseConsoleConfig,
  loadConsoleConfig,
  consoleSettingNames,
  ConsoleConfigError,
  proxiedApps,
  type ConsoleConfig,
  type ProxiedApp,
} from './console-config';
