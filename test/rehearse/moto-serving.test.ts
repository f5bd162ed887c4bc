/**
 * The emulator's start-up hook (rehearse/moto-sitecustomize.py, put first on moto_server's PYTHONPATH by
 * rehearse/emulator.ts): moto lists its own package once instead of per request, and the handlers of a response class
 * once per class, logs no request lines, and any sitecustomize the interpreter already had still runs. The first test runs the hook in the Python that has moto;
 * the second a real emulator.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { emulatorRequest, emulatorUnavailableReason, motoServerOnPath, startEmulator } from '../../rehearse/emulator';
import serving from '../../rehearse/moto-sitecustomize.py';
import { makeTempDir, removeTempDirs } from '../support/temp-dirs';
import { describeWithValidator } from '../support/validators';

afterAll(removeTempDirs);

/** The Python that runs moto_server: the interpreter of its script, behind a pyenv shim the one pyenv names. */
function motoPython(): string {
  const script = spawnSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8' }).stdout?.trim() || motoServerOnPath()!;
  const shebang = readFileSync(script, 'utf8').split('\n', 1)[0];
  return /^#!\s*(\S*python\S*)/.exec(shebang)?.[1] ?? 'python3';
}

describeWithValidator('the emulator start-up hook', emulatorUnavailableReason(), () => {
  it('lists moto\'s backends and each response class\'s handlers once, the same lists, quiets the request log and runs the sitecustomize it shadows', () => {
    const ours = makeTempDir('moto-site-');
    writeFileSync(join(ours, 'sitecustomize.py'), serving);
    const theirs = join(makeTempDir('moto-site-other-'), 'site');
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'sitecustomize.py'), 'import builtins\nbuiltins.SHADOWED_RAN = True\n');
    const probe = [
      'import builtins, logging, os, moto, moto.backends',
      'listed = moto.backends.list_of_moto_modules()',
      'root = os.path.dirname(moto.__file__)',
      'fresh = [d for d in sorted(os.listdir(root)) if os.path.isdir(os.path.join(root, d)) and not d.startswith("__")]',
      'print(type(listed).__name__, listed is moto.backends.list_of_moto_modules(), list(listed) == fresh, "ec2" in listed)',
      'print(logging.getLevelName(logging.getLogger("werkzeug").level), getattr(builtins, "SHADOWED_RAN", False))',
      'import moto.core.responses as responses, moto.core.utils as utils',
      'from moto.ec2.responses import EC2Response',
      'from moto.s3.responses import S3Response',
      'names = responses.method_names_from_class(EC2Response)',
      'print(names is responses.method_names_from_class(EC2Response), names == utils.method_names_from_class(EC2Response), "run_instances" in names)',
      'print(responses.method_names_from_class(S3Response) == utils.method_names_from_class(S3Response), "run_instances" in responses.method_names_from_class(S3Response))',
    ].join('\n');
    const result = spawnSync(motoPython(), ['-c', probe], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: [ours, theirs].join(delimiter) } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('tuple True True True\nWARNING True\nTrue True True\nTrue False\n');
  });

  it('serves requests without writing a line per request to stderr', async () => {
    const emulator = await startEmulator();
    try {
      for (let call = 0; call < 5; call++) {
        await emulatorRequest(emulator, { service: 'sts', region: 'eu-west-1', method: 'POST', path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', contentType: 'application/x-www-form-urlencoded' });
      }
      expect(emulator.stderrTail()).not.toMatch(/"(GET|POST) \/\S* HTTP\/1\.1" 200/);
    } finally {
      await emulator.stop();
    }
  }, 60_000);
});
