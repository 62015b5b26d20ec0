import 'reflect-metadata';
import { loadConfig } from '@soc/config';
import { createHttpApp } from '@soc/platform';
import { CollectorModule } from './collector.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const { host, port, bodyLimitBytes } = config.http.collector;
  const app = await createHttpApp(CollectorModule, {
    name: 'collector', host, port, logLevel: config.logLevel, bodyLimitBytes, textBodies: true,
  });
  await app.listen(port, host);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`collector failed to start: ${error.message}\n`);
  process.exit(1);
});
