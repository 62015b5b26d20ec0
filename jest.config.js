// Three jest projects, one `npm test`: unit specs beside the code, integration specs against the
// real Redis and Elasticsearch, and e2e specs that start the three apps as real processes.
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@soc/([^/]+)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.services/'],
};

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/timeout-60s.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/timeout-180s.js'],
    },
  ],
};
