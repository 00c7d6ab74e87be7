/** Wrong arguments: main prints the usage and exits non-zero. */
export class UsageError extends Error {}
