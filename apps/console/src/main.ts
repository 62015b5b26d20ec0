import 'reflect-metadata';
import { createHttpApp } from '@soc/platform';
import { ConsoleModule } from './console.module';
import { loadConsoleConfig } from '@soc/config';

async function bootstrap(): Promise<void> {
  const config = loadConsoleConfig();
  const { host, port } = config.http;
  // Bodies stay text: the proxy passes them on as the browser sent them (JSON, NDJSON, CSV feeds);
  // the sign-out button is a plain form (its body, empty, is form-encoded).
  const app = await createHttpApp(ConsoleModule, {
    name: 'console',
    host,
    port,
    logLevel: config.logLevel,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    textBodies: true,
    extraTextContentTypes: ['text/csv', 'application/x-www-form-urlencoded'],
  });
  await app.listen(port, host);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`console failed to start: ${error.message}\n`);
  process.exit(1);
});
