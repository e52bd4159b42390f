// Three tiers, named by file suffix: *.unit.spec.ts (no services), *.int.spec.ts (real Postgres, Kafka,
// registry), *.e2e.spec.ts (the running apps). `npm test` runs all three against the local stack.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.stack/', '<rootDir>/.stack-cluster/'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.unit.spec.ts'] },
    {
      ...base,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.int.spec.ts'],
      slowTestThreshold: 30,
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-int-setup.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e.spec.ts'],
      slowTestThreshold: 60,
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-int-setup.ts'],
    },
  ],
};
