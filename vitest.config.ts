import { defineConfig } from 'vitest/config';

// Files that replace a module for their own tests (vi.mock, a patched micromark construct), and
// so need a module graph of their own.
const isolated = ['test/run/third-executor/**/*.test.ts', 'test/markdown/linear-attention.test.ts'];

const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Once for the whole run (not per project): its temporary root, state and Codex home, and
    // the build of what users run, which the process-level tests exercise.
    globalSetup: ['test/support/global-setup.ts'],
    // Two cores, three files at once: many files spend much of their time waiting (for codex,
    // a model, a timeout), and a third file fills that time; more would starve the end-to-end
    // tests (real codex processes).
    maxWorkers: 3,
    projects: [
      {
        test: {
          ...timeouts,
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: isolated,
          // The files of a worker share one module graph instead of importing the sources again
          // for each file (most of a short file's time). Tests keep no state in modules or
          // globals: each makes its own folders, servers and Codex homes, and none changes
          // process.env or the cwd.
          isolate: false,
        },
      },
      { test: { ...timeouts, name: 'isolated', include: isolated, isolate: true } },
    ],
  },
});
