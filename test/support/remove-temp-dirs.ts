/**
 * Jest setup for every test file: the temporary folders a file made with `makeTempDir` are removed after its last
 * test, also where a shared helper (test/aws/support.ts's `synthEnvironment`, say) made them for a file that never
 * calls `removeTempDirs` itself. The setup file shares the test file's module registry, hence its list of folders.
 */
import { removeTempDirs } from './temp-dirs';

afterAll(removeTempDirs);
