import {
  LOGICAL_SHARDS,
  defaultShardMap,
  parseShardMap,
  schemasOn,
  serializeShardMap,
  type ShardMapJson,
} from './shard-map';

const A = 'postgres://eos@db-a:5432/eos_shard_0';
const B = 'postgresql://eos:secret@db-b:5432/eos_shard_1?sslmode=require';

function valid(): ShardMapJson {
  return {
    databases: { eos_shard_0: A, eos_shard_1: B },
    user: { '0-59': 'eos_shard_0', '60-119': 'eos_shard_1' },
    merchant: { '0-59': 'eos_shard_1', '60-119': 'eos_shard_0' },
  };
}

function parseError(json: unknown): string {
  try {
    parseShardMap(typeof json === 'string' ? json : JSON.stringify(json));
  } catch (error: unknown) {
    return (error as Error).message;
  }
  throw new Error('expected parseShardMap to throw');
}

describe('parseShardMap', () => {
  it('reads inclusive ranges into one database name per logical shard', () => {
    const map = parseShardMap(JSON.stringify(valid()));
    expect(map.databases).toEqual({ eos_shard_0: A, eos_shard_1: B });
    expect(map.user).toHaveLength(LOGICAL_SHARDS);
    expect(map.user[0]).toBe('eos_shard_0');
    expect(map.user[59]).toBe('eos_shard_0');
    expect(map.user[60]).toBe('eos_shard_1');
    expect(map.user[119]).toBe('eos_shard_1');
    expect(map.merchant[59]).toBe('eos_shard_1');
    expect(map.merchant[60]).toBe('eos_shard_0');
    expect(Object.isFrozen(map.user)).toBe(true);
  });

  it('accepts single-shard keys and any number of ranges', () => {
    const json = valid();
    json.user = { '0': 'eos_shard_1', '1-118': 'eos_shard_0', '119': 'eos_shard_1' };
    const map = parseShardMap(JSON.stringify(json));
    expect([map.user[0], map.user[1], map.user[118], map.user[119]]).toEqual([
      'eos_shard_1',
      'eos_shard_0',
      'eos_shard_0',
      'eos_shard_1',
    ]);
  });

  it.each<[string, (json: ShardMapJson) => unknown, string]>([
    [
      'a gap',
      (j) => ({ ...j, user: { '0-40': 'eos_shard_0', '60-118': 'eos_shard_1' } }),
      'user shards 41-59, 119 are not assigned to any database',
    ],
    [
      'an overlap',
      (j) => ({ ...j, merchant: { '0-60': 'eos_shard_1', '60-119': 'eos_shard_0' } }),
      'merchant shard 60 is assigned twice (ranges "0-60" and "60-119")',
    ],
    [
      'an unknown database',
      (j) => ({ ...j, user: { '0-59': 'eos_shard_0', '60-119': 'eos_shard_9' } }),
      'user range "60-119" names undeclared database "eos_shard_9"',
    ],
    [
      'a non-postgres URL',
      (j) => ({ ...j, databases: { ...j.databases, eos_shard_1: 'mysql://db-b/eos' } }),
      'URL of database "eos_shard_1" must be a postgres:// or postgresql:// URL, got scheme "mysql:"',
    ],
    [
      'an unparsable URL',
      (j) => ({ ...j, databases: { ...j.databases, eos_shard_0: 'not a url' } }),
      'URL of database "eos_shard_0" is not a valid URL',
    ],
    [
      'a URL that is not a string',
      (j) => ({ ...j, databases: { ...j.databases, eos_shard_0: 5 } }),
      'URL of database "eos_shard_0" must be a string URL',
    ],
    [
      'a range beyond shard 119',
      (j) => ({ ...j, user: { '0-59': 'eos_shard_0', '60-120': 'eos_shard_1' } }),
      'user range "60-120" exceeds the last logical shard 119',
    ],
    [
      'a reversed range',
      (j) => ({ ...j, user: { '59-0': 'eos_shard_0', '60-119': 'eos_shard_1' } }),
      'user range "59-0" starts after it ends',
    ],
    [
      'a malformed range',
      (j) => ({ ...j, user: { '0..59': 'eos_shard_0', '60-119': 'eos_shard_1' } }),
      'user range "0..59" must look like "0-59" or "7"',
    ],
    ['a missing dimension', (j) => ({ databases: j.databases, user: j.user }), 'missing "merchant"'],
    [
      'an unknown key',
      (j) => ({ ...j, orders: {} }),
      'unknown key "orders" (expected "databases", "user" and "merchant")',
    ],
    ['no databases', (j) => ({ ...j, databases: {} }), '"databases" declares no database'],
    [
      'a database name that is not an identifier',
      (j) => ({ ...j, databases: { ...j.databases, 'eos-shard;drop': A } }),
      'database name "eos-shard;drop" must be a plain identifier (letters, digits, underscore)',
    ],
    ['an array', () => [], 'must be a JSON object with "databases", "user" and "merchant"'],
  ])('names the problem when the map has %s', (_name, mutate, message) => {
    expect(parseError(mutate(valid()))).toBe(message);
  });

  it('names invalid JSON', () => {
    expect(parseError('{"databases":')).toMatch(/^not valid JSON \(/);
  });
});

describe('defaultShardMap', () => {
  it('puts the dimensions crossed on two databases of the given server', () => {
    const map = defaultShardMap('postgres://postgres@127.0.0.1:5432');
    expect(map.databases).toEqual({
      eos_shard_0: 'postgres://postgres@127.0.0.1:5432/eos_shard_0',
      eos_shard_1: 'postgres://postgres@127.0.0.1:5432/eos_shard_1',
    });
    for (let shard = 0; shard < LOGICAL_SHARDS; shard += 1) {
      expect(map.user[shard]).toBe(shard < 60 ? 'eos_shard_0' : 'eos_shard_1');
      expect(map.merchant[shard]).toBe(shard < 60 ? 'eos_shard_1' : 'eos_shard_0');
    }
  });

  it('replaces a database path and keeps query parameters of the base URL', () => {
    const map = defaultShardMap('postgresql://u:p@db:6543/postgres?sslmode=disable');
    expect(map.databases.eos_shard_1).toBe('postgresql://u:p@db:6543/eos_shard_1?sslmode=disable');
  });

  it('refuses a base URL that is not postgres', () => {
    expect(() => defaultShardMap('http://127.0.0.1:5432')).toThrow(/postgres:\/\//);
  });

  it('is the same map as its JSON form in DESIGN', () => {
    const base = 'postgres://postgres@127.0.0.1:5432';
    const json = {
      databases: { eos_shard_0: `${base}/eos_shard_0`, eos_shard_1: `${base}/eos_shard_1` },
      user: { '0-59': 'eos_shard_0', '60-119': 'eos_shard_1' },
      merchant: { '0-59': 'eos_shard_1', '60-119': 'eos_shard_0' },
    };
    expect(parseShardMap(JSON.stringify(json))).toEqual(defaultShardMap(base));
    expect(JSON.parse(serializeShardMap(defaultShardMap(base)))).toEqual(json);
  });
});

describe('schemasOn', () => {
  it('lists the schemas each database holds', () => {
    const map = defaultShardMap('postgres://postgres@127.0.0.1:5432');
    const first = schemasOn(map, 'eos_shard_0');
    expect(first.user).toHaveLength(60);
    expect(first.user[0]).toBe('u000');
    expect(first.user[59]).toBe('u059');
    expect(first.merchant[0]).toBe('m060');
    expect(first.merchant[59]).toBe('m119');
    const second = schemasOn(map, 'eos_shard_1');
    expect(second.user[0]).toBe('u060');
    expect(second.merchant[0]).toBe('m000');
    expect(schemasOn(map, 'elsewhere')).toEqual({ user: [], merchant: [] });
  });
});

describe('serializeShardMap', () => {
  it('round-trips a fragmented map', () => {
    const json = valid();
    json.user = { '0': 'eos_shard_1', '1-7': 'eos_shard_0', '8': 'eos_shard_1', '9-119': 'eos_shard_0' };
    const map = parseShardMap(JSON.stringify(json));
    expect(parseShardMap(serializeShardMap(map))).toEqual(map);
    expect(JSON.parse(serializeShardMap(map)).user).toEqual(json.user);
  });
});
