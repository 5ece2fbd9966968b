import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // The server logs through pino at LOG_LEVEL; tests that check logging pass their own logger.
    env: { LOG_LEVEL: 'silent' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration suites each start servers on free ports; two workers suit this 2-core machine.
    maxWorkers: 2,
  },
})
