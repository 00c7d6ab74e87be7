import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * When EOS_CPU_PROFILE names a file, profiles the process from start until shutdown and writes a
 * .cpuprofile there (open it in Chrome DevTools). `--cpu-prof` writes nothing when the process is
 * ended by a signal, which is how apps are stopped, hence this.
 */
export function startCpuProfileIfRequested(): (() => void) | undefined {
  const target = process.env.EOS_CPU_PROFILE;
  if (!target) return undefined;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  let written = false;
  return () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(target, JSON.stringify(result.profile));
      session.disconnect();
    });
  };
}
