// `npm run test:unit`: pure logic only (no database, no app, no network), a few seconds in all.
// The main config (jest.config.js) leaves test/unit/ to this one.
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: undefined,
  testMatch: ['<rootDir>/test/unit/**/*.spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 5_000,
};
