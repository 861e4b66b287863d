/**
 * One jest run for every workspace:
 * - node: unit tests beside the code (schema/validation, server, workers), integration and browser tests in test/src;
 * - web: component tests of the React client (web/src/**\/*.test.tsx) in jsdom, with @testing-library/react.
 */
const nodeProject = {
  displayName: 'node',
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  testMatch: [
    '<rootDir>/schema/validation/**/*.test.ts',
    '<rootDir>/server/src/**/*.test.ts',
    '<rootDir>/workers/src/**/*.test.ts',
    '<rootDir>/test/src/**/*.test.ts',
  ],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/web/'],
};

const webProject = {
  displayName: 'web',
  testEnvironment: 'jsdom',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/web/tsconfig.test.json', diagnostics: false }] },
  testMatch: ['<rootDir>/web/src/**/*.test.tsx', '<rootDir>/web/src/**/*.test.ts'],
  moduleNameMapper: { '\\.css$': '<rootDir>/web/test/style-stub.js' },
  setupFilesAfterEnv: ['<rootDir>/web/test/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/web/dist/'],
};

module.exports = {
  projects: [nodeProject, webProject],
  globalSetup: '<rootDir>/test/jest.global-setup.mjs',
  globalTeardown: '<rootDir>/test/jest.global-teardown.mjs',
  // a run without timings (a fresh clone) starts the browser walks first: see the file
  testSequencer: '<rootDir>/test/jest.sequencer.js',
  testTimeout: 60000,
  maxWorkers: 2,
};
