import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { BlinkClient, BlinkService, EosConfig, PartnerCredentials, isServiceError } from '@eos/common';
import { UsageError } from './usage.error';

type Values = ReturnType<typeof parse>['values'];

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        credentials: { type: 'string' },
        'partner-id': { type: 'string' },
        secret: { type: 'string' },
        'deadline-ms': { type: 'string' },
        merchant: { type: 'string' },
        cursor: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        page: { type: 'string' },
        reason: { type: 'string' },
        approve: { type: 'boolean' },
        refuse: { type: 'boolean' },
        kind: { type: 'string' },
        note: { type: 'string' },
      },
    });
  } catch {
    throw new UsageError();
  }
}

/** --credentials <file> (what `partner create` printed), --partner-id/--secret, or EOS_PARTNER_ID/EOS_PARTNER_SECRET. */
function credentialsOf(values: Values): PartnerCredentials | null {
  if (values.credentials !== undefined) {
    const printed = JSON.parse(readFileSync(values.credentials, 'utf8')) as Partial<PartnerCredentials>;
    if (typeof printed.partnerId !== 'string' || typeof printed.secret !== 'string') {
      throw new Error(`${values.credentials} holds no partnerId and secret`);
    }
    return { partnerId: printed.partnerId, secret: printed.secret };
  }
  const partnerId = values['partner-id'] ?? process.env.EOS_PARTNER_ID;
  const secret = values.secret ?? process.env.EOS_PARTNER_SECRET;
  return partnerId !== undefined && secret !== undefined ? { partnerId, secret } : null;
}

function protoStatus(value: string | undefined): string | undefined {
  return value === undefined ? undefined : `ORDER_STATUS_${value.toUpperCase()}`;
}

function limit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,3}$/.test(value)) throw new UsageError();
  return Number(value);
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/**
 * `eos blink <command>`: a partner's side of the gRPC bridge, for demos and manual checks. Each
 * command is one call (watch: the feed, one JSON line per event, until Ctrl-C); replies print as
 * JSON, errors as the gRPC status with the stable eos-error-code.
 */
export async function blinkCommand(config: EosConfig, args: string[]): Promise<void> {
  const { values, positionals } = parse(args);
  const [command, orderId, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError();
  const deadlineMs = limitDeadline(values['deadline-ms']);
  const client = new BlinkClient(values.url ?? `127.0.0.1:${config.BLINK_PORT}`, credentialsOf(values));
  const call = (service: BlinkService, method: string, request: object) =>
    client.unary(service, method, request, { deadlineMs });
  const needOrder = (): string => {
    if (orderId === undefined) throw new UsageError();
    return orderId;
  };
  const merchantId = values.merchant ?? '';
  try {
    switch (command) {
      case 'ping':
        return print(await call('BlinkStatus', 'Ping', {}));
      case 'watch':
        return await watch(client, { merchantId, cursor: values.cursor ?? '' });
      case 'orders':
        return print(
          await call('MerchantOrders', 'ListOrders', {
            merchantId,
            status: protoStatus(values.status),
            limit: limit(values.limit),
            pageToken: values.page ?? '',
          }),
        );
      case 'get':
        return print(await call('MerchantOrders', 'GetOrder', { orderId: needOrder(), merchantId }));
      case 'accept':
        return print(await call('MerchantOrders', 'AcceptOrder', { orderId: needOrder(), merchantId }));
      case 'reject':
        return print(
          await call('MerchantOrders', 'RejectOrder', {
            orderId: needOrder(),
            merchantId,
            reason: values.reason ?? '',
          }),
        );
      case 'ready':
        return print(await call('MerchantOrders', 'MarkReady', { orderId: needOrder(), merchantId }));
      case 'decide':
        if (values.approve === values.refuse) throw new UsageError();
        return print(
          await call('MerchantOrders', 'DecideCancellation', {
            orderId: needOrder(),
            merchantId,
            decision: values.approve ? 'CANCELLATION_DECISION_APPROVE' : 'CANCELLATION_DECISION_REFUSE',
            reason: values.reason ?? '',
          }),
        );
      case 'assigned':
        return print(
          await call('DeliveryOrders', 'ListAssignedOrders', {
            status: protoStatus(values.status),
            limit: limit(values.limit),
            pageToken: values.page ?? '',
          }),
        );
      case 'pickup':
        return print(await call('DeliveryOrders', 'PickUpOrder', { orderId: needOrder() }));
      case 'deliver':
        return print(await call('DeliveryOrders', 'DeliverOrder', { orderId: needOrder() }));
      case 'exception':
        return print(
          await call('DeliveryOrders', 'ReportException', {
            orderId: needOrder(),
            kind: `DELIVERY_EXCEPTION_KIND_${(values.kind ?? '').toUpperCase()}`,
            note: values.note ?? '',
          }),
        );
      default:
        throw new UsageError();
    }
  } catch (error) {
    if (!isServiceError(error)) throw error;
    const reason = error.metadata?.get('eos-error-code')[0];
    throw new Error(`${status[error.code]}${reason ? ` (${String(reason)})` : ''}: ${error.details}`);
  } finally {
    client.close();
  }
}

function limitDeadline(value: string | undefined): number {
  if (value === undefined) return 5000;
  if (!/^[1-9][0-9]{0,6}$/.test(value)) throw new UsageError();
  return Number(value);
}

/** Prints feed events as JSON lines until the stream ends or Ctrl-C; resume with --cursor <last cursor>. */
function watch(client: BlinkClient, request: { merchantId: string; cursor: string }): Promise<void> {
  const stream = client.stream<object>('MerchantOrders', 'WatchOrders', request);
  process.once('SIGINT', () => stream.cancel());
  return new Promise((resolve, reject) => {
    stream.on('data', (event: object) => console.log(JSON.stringify(event)));
    stream.on('end', () => resolve());
    stream.on('error', (error: unknown) => {
      if (isServiceError(error) && error.code === status.CANCELLED) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
