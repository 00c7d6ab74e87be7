/**
 * The trace an outbox row was written in, as a W3C `traceparent`, so that the relay's publish (in
 * another process, later) continues the trace of the checkout or transition that wrote the row.
 * Null when tracing was off in the writer: the relay then starts nothing and adds no header.
 */
export function outboxTraceContextDdl(schema: string): string {
  return `ALTER TABLE ${schema}.outbox ADD COLUMN IF NOT EXISTS trace_context text;`;
}

export function dropOutboxTraceContextDdl(schema: string): string {
  return `ALTER TABLE ${schema}.outbox DROP COLUMN IF EXISTS trace_context;`;
}
