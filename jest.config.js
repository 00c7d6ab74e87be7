// Two projects: `unit` needs no services; `integration` talks to the real Postgres, Redis and
// RabbitMQ on loopback and provisions the shard databases once in its global setup.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
  },
];
const moduleNameMapper = {
  '^@eos/(domain|sharding|persistence|messaging|cache|catalog|common|testing|ordering)$':
    '<rootDir>/libs/$1/src',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  testTimeout: 120000,
  reporters: ['default', ['<rootDir>/test/summary.reporter.js', {}]],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,bench}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{apps,libs,tools,test}/**/*.int-spec.ts',
        '<rootDir>/{apps,test}/**/*.e2e-spec.ts',
      ],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
