import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/robustness/**/*.test.ts', 'test/helpers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The app starts its embedded server on a fixed port; tests run in parallel, so any free port.
    // PARLEY_TRACE_CHECK: every trace read in a test proves its lazily made verdicts equal the request's
    // (trace.ts); test/setup/trace-check.ts reads it.
    env: { PARLEY_SERVER_PORT: '0', PARLEY_TRACE_CHECK: '1' },
    setupFiles: ['test/setup/trace-check.ts'],
  },
});
