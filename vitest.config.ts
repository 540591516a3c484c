import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI is tested as a real process from its bundle; build it once before the tests.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep end-to-end tests (real codex processes) from starving each other.
    maxWorkers: 2,
  },
});
