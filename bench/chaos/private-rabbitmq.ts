import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { runCommand, runCommandSync } from './command';

const RABBITMQ_BIN = process.env.EOS_CHAOS_RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';

export interface PrivateRabbitMqPorts {
  readonly amqp: number;
  readonly distribution: number;
  readonly epmd: number;
}

/**
 * A RabbitMQ node of the suite's own: its own node name, ports, Erlang port mapper, cookie
 * (HOME), database and logs in a temporary directory, no plugins and none of the machine's
 * configuration files. Stopping its application is a broker outage that nobody else notices.
 */
export class PrivateRabbitMq {
  readonly node: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly pidFile: string;

  constructor(
    private readonly dir: string,
    readonly ports: PrivateRabbitMqPorts,
  ) {
    this.node = `eos-chaos-${process.pid}@localhost`;
    this.pidFile = join(dir, 'rabbitmq.pid');
    const configFile = join(dir, 'rabbitmq.conf');
    writeFileSync(configFile, `listeners.tcp.local = 127.0.0.1:${ports.amqp}\n`);
    writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    this.env = {
      ...process.env,
      // The Erlang cookie lives in $HOME: the node and rabbitmqctl must agree on it.
      HOME: dir,
      RABBITMQ_NODENAME: this.node,
      RABBITMQ_NODE_PORT: String(ports.amqp),
      RABBITMQ_DIST_PORT: String(ports.distribution),
      ERL_EPMD_PORT: String(ports.epmd),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_CONFIG_FILE: configFile,
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: this.pidFile,
    };
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.ports.amqp}`;
  }

  /** Boots the node and waits until it accepts AMQP connections. */
  async start(): Promise<void> {
    await runCommand(join(RABBITMQ_BIN, 'rabbitmq-server'), ['-detached'], { env: this.env, cwd: this.dir });
    await this.ctl(['wait', this.pidFile, '--timeout', '90'], 120_000);
    await this.waitForAmqp();
  }

  /** Stops the broker application (every connection drops; the node itself stays up). */
  async stopApp(): Promise<void> {
    await this.ctl(['stop_app']);
  }

  async startApp(): Promise<void> {
    await this.ctl(['start_app'], 120_000);
    await this.waitForAmqp();
  }

  /** Halts the node and its port mapper. */
  async shutdown(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    await this.ctl(['stop', this.pidFile]).catch(() => this.killSync());
    await runCommand('epmd', ['-port', String(this.ports.epmd), '-kill'], { env: this.env }).catch(
      () => undefined,
    );
  }

  shutdownSync(): void {
    try {
      runCommandSync(join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.node, 'stop'], { env: this.env });
    } catch {
      this.killSync();
    }
    try {
      runCommandSync('epmd', ['-port', String(this.ports.epmd), '-kill'], { env: this.env });
    } catch {
      // Already gone.
    }
  }

  private killSync(): void {
    if (!existsSync(this.pidFile)) return;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    if (Number.isSafeInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Not running.
      }
    }
  }

  private async ctl(args: string[], timeoutMs = 60_000): Promise<void> {
    await runCommand(join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', this.node, ...args], {
      env: this.env,
      timeoutMs,
    });
  }

  private async waitForAmqp(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const connection = await amqp.connect(this.url, { timeout: 2000 });
        await connection.close();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }
}
