import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI is tested as a real process from its bundle; build it once before the tests.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores, three files at once: many files spend much of their time waiting (for codex,
    // a model, a timeout), and a third file fills that time; more would starve the end-to-end
    // tests (real codex processes).
    maxWorkers: 3,
    // The files of a worker share one module graph instead of importing the sources again for
    // each file (most of a short file's time). Tests keep no state in modules or globals: each
    // makes its own folders, servers and Codex homes, and none changes process.env or the cwd.
    isolate: false,
  },
});
