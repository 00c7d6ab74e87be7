/**
 * Collects the parameters of a statement whose text is assembled from optional parts, numbering
 * them as they are added. Every placeholder carries a cast: inside CTEs and CASE expressions
 * Postgres cannot always infer a parameter's type.
 */
export class StatementParams {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}
