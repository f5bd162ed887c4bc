import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let found: string | undefined;

/**
 * The interpreter line for test stand-ins written as bash scripts: the bash that `#!/usr/bin/env bash` would find on
 * this PATH, named directly. The scripts under test call the stand-ins hundreds of times per run, and going through
 * env costs one more process start each time.
 */
export function bashShebang(): string {
  if (found === undefined) {
    const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
    const bash = dirs.map((dir) => join(dir, 'bash')).find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found = bash ? `#!${bash}` : '#!/usr/bin/env bash';
  }
  return found;
}
