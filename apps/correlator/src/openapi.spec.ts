import { describeOpenApiDocument } from '../../../libs/platform/src/testing/openapi-document';
import { CorrelatorModule } from './correlator.module';
import { correlatorOpenApi } from './openapi';

describeOpenApiDocument('correlator', CorrelatorModule, correlatorOpenApi);
