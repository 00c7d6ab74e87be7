import { isShardOutage, isUnavailability } from './shard-outage';

function pgError(code: string, message = 'pg error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('shard outage classification', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', pgError('ECONNRESET')],
    ['connection class 08', pgError('08006')],
    ['too many connections', pgError('53300')],
    ['an administrator shutdown', pgError('57P01')],
    ['a pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ["the client's read timeout", new Error('Query read timeout')],
    [
      'a TypeORM wrapper of a refused connection',
      Object.assign(new Error('wrapped'), { driverError: pgError('ECONNREFUSED') }),
    ],
  ])('%s is an outage and an unavailability', (_, error) => {
    expect(isShardOutage(error)).toBe(true);
    expect(isUnavailability(error)).toBe(true);
  });

  it('a statement timeout makes the shard unavailable to the caller but is no outage of the server', () => {
    const timeout = pgError('57014', 'canceling statement due to statement timeout');
    expect(isUnavailability(timeout)).toBe(true);
    expect(isShardOutage(timeout)).toBe(false);
    const wrapped = Object.assign(new Error('query failed'), { driverError: timeout });
    expect(isUnavailability(wrapped)).toBe(true);
    expect(isShardOutage(wrapped)).toBe(false);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a domain refusal', Object.assign(new Error('illegal'), { code: 'ILLEGAL_TRANSITION' })],
    ['not an error at all', 'ECONNREFUSED'],
  ])("%s is the query's own fault", (_, error) => {
    expect(isShardOutage(error)).toBe(false);
    expect(isUnavailability(error)).toBe(false);
  });
});
