import { Logger } from '@nestjs/common';
import { createAppLogger } from './app-logger';
import { PinoNestLogger } from './nest-pino.logger';
import { LoggedRequest, logFieldsOf, runInRequestScope } from './request-log.scope';

class Lines {
  readonly written: string[] = [];
  write(line: string): void {
    this.written.push(line);
  }
  get records(): Record<string, unknown>[] {
    return this.written.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('app logger', () => {
  it('writes JSON lines with level name, ISO time, app and message; masks what the message formats in', () => {
    const lines = new Lines();
    const logger = createAppLogger({ app: 'forward-order', level: 'info', destination: lines });
    logger.info('paid with %s', '4111 1111 1111 1111');
    logger.warn({ token: 'abc' }, 'refused');
    logger.error(new Error('card 4111111111111111 declined'));
    logger.debug('not written at info');
    expect(lines.records).toEqual([
      expect.objectContaining({ level: 'info', app: 'forward-order', msg: 'paid with ****1111' }),
      expect.objectContaining({ level: 'warn', token: '[redacted]', msg: 'refused' }),
      expect.objectContaining({
        level: 'error',
        msg: 'card ****1111 declined',
        err: expect.objectContaining({ type: 'Error', message: 'card ****1111 declined' }),
      }),
    ]);
    expect(String(lines.records[0].time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.written.join('')).not.toContain('4111111111111111');
  });

  it("adds the served request's ids to every line written on its behalf, as the guards annotate it", async () => {
    const lines = new Lines();
    const logger = createAppLogger({ app: 'reverse-order', level: 'info', destination: lines });
    const request: { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] } = {
      id: 'req-0001-abcd',
      params: { orderId: '387364246890243072' },
    };
    await runInRequestScope(request, async () => {
      logger.info('before the guard');
      await Promise.resolve();
      request.staff = { id: '2' };
      logger.info('after the guard');
    });
    logger.info('outside');
    expect(
      lines.records.map(({ reqId, orderId, staffId, msg }) => ({ reqId, orderId, staffId, msg })),
    ).toEqual([
      { reqId: 'req-0001-abcd', orderId: '387364246890243072', staffId: undefined, msg: 'before the guard' },
      { reqId: 'req-0001-abcd', orderId: '387364246890243072', staffId: '2', msg: 'after the guard' },
      { reqId: undefined, orderId: undefined, staffId: undefined, msg: 'outside' },
    ]);
    expect(
      logFieldsOf({ id: 'r-1-abcdef', principal: { id: '42', role: 'customer' }, params: { orderId: 'x' } }),
    ).toEqual({ reqId: 'r-1-abcdef', userId: '42' });
  });

  it("serves Nest's logger interface: context, stack, levels", () => {
    const lines = new Lines();
    const nest = new PinoNestLogger(createAppLogger({ app: 'osc-blink', level: 'info', destination: lines }));
    Logger.overrideLogger(nest);
    try {
      new Logger('outbox-relay').log('relaying');
      new Logger('HttpErrorFilter').error('boom', 'Error: boom\n    at here');
      nest.setLogLevels(['error', 'warn']);
      new Logger('quiet').log('dropped');
      new Logger('quiet').warn('kept');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines.records).toEqual([
      expect.objectContaining({ level: 'info', context: 'outbox-relay', msg: 'relaying' }),
      expect.objectContaining({
        level: 'error',
        context: 'HttpErrorFilter',
        msg: 'boom',
        stack: 'Error: boom\n    at here',
      }),
      expect.objectContaining({ level: 'warn', context: 'quiet', msg: 'kept' }),
    ]);
  });
});
