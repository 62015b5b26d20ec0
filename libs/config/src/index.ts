export { envSchema, type Env } from './config.schema';
export { parseConfig, loadConfig, ConfigError, type AppConfig, type AuthConfig, type OidcConfig } from './config';
