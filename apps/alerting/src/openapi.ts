import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI document of the alerting API as JSON at `/openapi.json` (no auth: it holds no data). */
export function serveOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Municipal SOC alerting API')
    .setDescription('Alerts, triage, incident queues, exceptions and webhooks; see docs/ALERTING.md')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  app.getHttpAdapter().getInstance().get('/openapi.json', (_request: unknown, reply: { send: (body: unknown) => void }) => reply.send(document));
}
