import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, runCommandSync } from './command';

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest Postgres installed (Debian layout), or EOS_CHAOS_PG_BIN. */
function postgresBinDir(): string {
  const override = process.env.EOS_CHAOS_PG_BIN;
  if (override) return override;
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_ROOT, name, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`no Postgres server binaries under ${POSTGRES_ROOT}/*/bin (set EOS_CHAOS_PG_BIN)`);
  }
  return join(POSTGRES_ROOT, versions[0], 'bin');
}

/**
 * A Postgres cluster of the suite's own (initdb into a temporary directory, trust auth, loopback
 * only, on a free port), so that one shard database can be stopped and started without touching
 * the machine's shared server. Postgres refuses to run as root: as root, the cluster belongs to
 * the `postgres` OS user and every pg_ctl runs through runuser.
 */
export class PrivatePostgres {
  private constructor(
    private readonly binDir: string,
    private readonly dataDir: string,
    private readonly socketDir: string,
    readonly port: number,
    private readonly runAs: string | undefined,
  ) {}

  static async create(baseDir: string, port: number): Promise<PrivatePostgres> {
    const binDir = postgresBinDir();
    const runAs = process.getuid?.() === 0 ? 'postgres' : undefined;
    const dataDir = join(baseDir, 'data');
    const socketDir = join(baseDir, 'socket');
    mkdirSync(socketDir, { recursive: true });
    if (runAs) {
      const uid = Number((await runCommand('id', ['-u', runAs])).trim());
      const gid = Number((await runCommand('id', ['-g', runAs])).trim());
      chownSync(baseDir, uid, gid);
      chownSync(socketDir, uid, gid);
    }
    const cluster = new PrivatePostgres(binDir, dataDir, socketDir, port, runAs);
    await cluster.exec('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    return cluster;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.socketDir}`,
      '-c listen_addresses=127.0.0.1',
      '-c max_connections=200',
      // A scratch cluster: durability buys nothing here and costs the shared disk.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await this.exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-o',
      options,
      '-l',
      join(this.dataDir, '..', 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** A fast shutdown: sessions are disconnected, the server is down until start(). */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** Stops the server if it runs (teardown). */
  async ensureStopped(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop();
  }

  ensureStoppedSync(): void {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    const [file, args] = this.command('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    runCommandSync(file, args);
  }

  private async exec(program: string, args: string[]): Promise<void> {
    const [file, fullArgs] = this.command(program, args);
    await runCommand(file, fullArgs, { timeoutMs: 90_000 });
  }

  private command(program: string, args: string[]): [string, string[]] {
    const binary = join(this.binDir, program);
    return this.runAs ? ['runuser', ['-u', this.runAs, '--', binary, ...args]] : [binary, args];
  }
}
