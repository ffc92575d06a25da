/**
 * The test suite's edge for the lazy trace's check (electron/core/server/trace.ts): PARLEY_TRACE_CHECK=1
 * (vitest.config.ts) makes every trace read in a test prove that its lazily made verdicts equal the
 * request's. Read here, once per test file, so that no production code path reads the environment.
 */
import { TraceRecorder } from '../../electron/core/server/trace';

TraceRecorder.checkLazyVerdicts = process.env.PARLEY_TRACE_CHECK === '1';
