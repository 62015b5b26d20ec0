import { join } from 'node:path';
import { RuleTester } from 'eslint';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const layering = require('./layering.cjs');

/** The layering rule on import lines, each placed in a file of the tree (paths from the repository root). */
const root = process.cwd();
const at = (file: string, code: string) => ({ code, filename: join(root, file) });

new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } }).run('soc/layering', layering, {
  valid: [
    at('libs/sigma/src/rule-set.ts', "import { x } from '@soc/contracts';"),
    at('libs/sigma/src/rule-set.ts', "import { x } from './window-store';"),
    at('libs/storage/src/alert.repository.ts', "import { Client } from '@elastic/elasticsearch';"),
    at('apps/alerting/src/main.ts', "import { NestFactory } from '@nestjs/core';"),
    // A pure lib's tests may use a driver (an integration spec against the real Redis).
    at('libs/correlation/src/x.int-spec.ts', "import { Redis } from 'ioredis';"),
    // Tests and benches may share another package's test support.
    at('libs/correlation/test/x.spec.ts', "import { y } from '../../parsing/test/web-attack-corpus';"),
    at('test/e2e/taxii.e2e-spec.ts', "import { s } from '../../libs/indicator-store/src/taxii/taxii-server.testing';"),
    at('bench/stats/run.ts', "import { g } from '../../libs/statistics/src/testing/generated-attempts';"),
    at('tools/x.ts', "import { a } from '../apps/alerting/src/main';"),
  ],
  invalid: [
    { ...at('libs/sigma/src/rule-set.ts', "import { Injectable } from '@nestjs/common';"), errors: [{ messageId: 'framework' }] },
    { ...at('libs/contracts/src/x.ts', "import Redis from 'ioredis';"), errors: [{ messageId: 'framework' }] },
    { ...at('libs/parsing/src/x.ts', "import { Client } from '@elastic/elasticsearch';"), errors: [{ messageId: 'framework' }] },
    { ...at('libs/correlation/src/x.ts', "import { s } from '@soc/storage';"), errors: [{ messageId: 'framework' }] },
    { ...at('apps/alerting/src/x.ts', "import { y } from '../../../libs/storage/src/alert.repository';"), errors: [{ messageId: 'deep' }] },
    { ...at('apps/alerting/src/x.ts', "import { y } from '@soc/storage/src/alert.repository';"), errors: [{ messageId: 'deepAlias' }] },
    { ...at('libs/storage/src/x.ts', "export * from '../../sigma/src/rule-set';"), errors: [{ messageId: 'deep' }] },
    { ...at('bench/engine/x.ts', "import { y } from '../../libs/sigma/src/group-table';"), errors: [{ messageId: 'deep' }] },
    { ...at('bench/detect/x.ts', "import { y } from '../../apps/correlator/src/rule-files';"), errors: [{ messageId: 'app' }] },
    { ...at('libs/statistics/src/x.ts', "import { y } from '../../../apps/alerting/src/statistics/statistics.service';"), errors: [{ messageId: 'app' }] },
    { ...at('apps/collector/src/x.ts', "import { y } from '../../alerting/src/alerts.controller';"), errors: [{ messageId: 'app' }] },
    { ...at('libs/correlation/test/x.spec.ts', "import { y } from '../../parsing/src/parse-log-line';"), errors: [{ messageId: 'deep' }] },
  ],
});
