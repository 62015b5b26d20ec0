import { describeOpenApiDocument } from '../../../libs/platform/src/testing/openapi-document';
import { CollectorModule } from './collector.module';
import { collectorOpenApi } from './openapi';

describeOpenApiDocument('collector', CollectorModule, collectorOpenApi);
