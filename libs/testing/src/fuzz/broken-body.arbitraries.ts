import fc from 'fast-check';
import { malformedId } from './id.arbitraries';
import { edgeNumber, hostileText, jsonGarbage, unknownFields } from './json.arbitraries';

/** As a field's new value: the field is left out of the body. */
export const ABSENT_FIELD = Symbol('absent');

/** For each field path of a valid body ("items.0.quantity"), values that field must refuse. */
export type FieldBreakers = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/**
 * A required field also refuses being left out; an optional one (class-validator's IsOptional)
 * takes null and absence as "not given", so neither may stand for a broken value.
 */
function refusedWhen(required: boolean, wrong: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return required ? fc.oneof(wrong, fc.constant(ABSENT_FIELD)) : wrong.filter((value) => value !== null);
}

/** Any JSON value but a string. */
export function notAString(): fc.Arbitrary<unknown> {
  return fc.oneof(
    edgeNumber(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
  );
}

/** What a decimal id field must refuse: malformed strings and non-strings, or nothing at all. */
export function notAnId(required = true): fc.Arbitrary<unknown> {
  return refusedWhen(required, fc.oneof(malformedId(), notAString()));
}

/** What an integer field in [min, max] must refuse. */
export function notAnIntegerIn(min: number, max: number, required = true): fc.Arbitrary<unknown> {
  const within = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  const wrong = fc
    .oneof(
      edgeNumber(),
      fc.constantFrom<unknown[]>(max + 1, min - 1, max * 2 + 1, min - 0.5, max + 0.5),
      fc.constantFrom<unknown[]>(String(min), String(max), '1e1', 'NaN', true, null, [min], { value: min }),
    )
    .filter((value) => !within(value));
  return refusedWhen(required, wrong);
}

/**
 * What a free-text field of `min` to `max` characters must refuse; blank text too unless
 * `blankAllowed` (a field with a length rule only).
 */
export function notATextOf(
  min: number,
  max: number,
  options: { required?: boolean; blankAllowed?: boolean } = {},
): fc.Arbitrary<unknown> {
  const tooLong = fc.integer({ min: max + 1, max: max + 2000 }).map((length) => 'y'.repeat(length));
  const blank = options.blankAllowed ? fc.constant('') : fc.constantFrom('', ' ', '\t\n', '   ');
  const wrong = fc.oneof(notAString(), tooLong, min >= 1 ? blank : tooLong);
  return refusedWhen(options.required !== false, wrong);
}

/** What an enum field must refuse: unknown names, other cases, numbers, or nothing when required. */
export function notOneOf(allowed: readonly string[], required = true): fc.Arbitrary<unknown> {
  const wrong = fc
    .oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...allowed).map((value) => value.toLowerCase()),
      fc.constantFrom(...allowed).map((value) => ` ${value}`),
      hostileText(),
      notAString(),
    )
    .filter((value) => typeof value !== 'string' || !allowed.includes(value));
  return refusedWhen(required, wrong);
}

/** What an array of 1..max entries must refuse: empty, too long, not an array, entries of the wrong shape. */
export function notAnArrayOf(max: number, entry: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant([]),
    fc.constant(Array.from({ length: max + 1 }, () => entry)),
    notAString().filter((value) => !Array.isArray(value) || value.length === 0),
    fc.array(
      jsonGarbage().filter((value) => typeof value !== 'object' || value === null),
      {
        minLength: 1,
        maxLength: 5,
      },
    ),
    fc.constant(ABSENT_FIELD),
  );
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === ABSENT_FIELD) delete node[last];
  else node[last] = value;
}

/**
 * A valid body with at least one field broken by its breaker, and sometimes unknown fields added
 * (which a strict DTO refuses by themselves). The breaks are applied last, so the body is always
 * invalid: however the rest of the generated input looks, such a body never changes anything.
 */
export function brokenBody(valid: object, breakers: FieldBreakers): fc.Arbitrary<Record<string, unknown>> {
  const paths = Object.keys(breakers);
  const breaks = fc
    .subarray(paths, { minLength: 1 })
    .chain((chosen) =>
      fc.tuple(...chosen.map((path) => breakers[path].map((value) => [path, value] as const))),
    );
  return fc
    .record({ breaks, extra: fc.option(unknownFields(), { nil: undefined }) })
    .map(({ breaks: chosen, extra }) => {
      const body = structuredClone(valid) as Record<string, unknown>;
      if (extra) for (const [key, value] of Object.entries(extra)) body[key] = value;
      for (const [path, value] of chosen) setPath(body, path, value);
      return body;
    });
}

/** A body of the wrong shape entirely: not an object, an array, or an object of garbage. */
export function wrongShapeBody(): fc.Arbitrary<unknown> {
  return jsonGarbage();
}
