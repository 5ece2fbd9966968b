import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    // The server logs through pino at LOG_LEVEL; tests that check logging pass their own logger.
    env: { LOG_LEVEL: 'silent' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration suites each start servers on free ports; two workers suit this 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/package/**'] },
      },
      {
        // The packed tarball, installed into consumer projects once by the global setup (which
        // runs only when a file of this project is selected): `npx vitest run test/package`.
        extends: true,
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          globalSetup: ['test/package/support/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
})
