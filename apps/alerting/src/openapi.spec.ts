import { describeOpenApiDocument } from '../../../libs/platform/src/testing/openapi-document';
import { AlertingModule } from './alerting.module';
import { alertingOpenApi } from './openapi';

describeOpenApiDocument('alerting', AlertingModule, alertingOpenApi);
