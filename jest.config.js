/** One jest run for every workspace: unit tests beside the code, integration and browser tests in test/src. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/server/src/**/*.test.ts', '<rootDir>/workers/src/**/*.test.ts', '<rootDir>/test/src/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  globalSetup: '<rootDir>/test/jest.global-setup.mjs',
  globalTeardown: '<rootDir>/test/jest.global-teardown.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
};
