/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  // One suite at a time: the end-to-end tests measure beat timing across processes, and a
  // second suite competing for the two cores delays packet timestamps and skews them.
  maxWorkers: 1,
};
