import { execFile, execFileSync } from 'node:child_process';

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** Runs a program to completion; a failure carries its stderr, so setup errors say what went wrong. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, cwd: options.cwd },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${String(stderr).trim()}`));
          return;
        }
        resolve(String(stdout));
      },
    );
  });
}

/** The same, blocking: only for teardown from the process's `exit` event. */
export function runCommandSync(file: string, args: readonly string[], options: CommandOptions = {}): void {
  execFileSync(file, args, {
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 30_000,
    stdio: 'ignore',
  });
}
