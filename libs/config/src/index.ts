export { envSchema, type Env } from './config.schema';
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
