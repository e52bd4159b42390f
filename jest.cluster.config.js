// Tests that need the three-node Kafka cluster (`npm run test:cluster` starts it on its own ports).
const { projects } = require('./jest.config');

const int = projects.find((project) => project.displayName === 'int');
module.exports = {
  projects: [
    { ...int, displayName: 'cluster', testMatch: ['<rootDir>/{apps,libs,test}/**/*.cluster.spec.ts'] },
  ],
};
