import { Counter, register } from 'prom-client';

/** Orders created by checkout, by kind (`DELIVERY`, `VIRTUAL`); an idempotent replay is not counted. */
export const ordersCreated =
  (register.getSingleMetric('eos_orders_created_total') as Counter<'kind'> | undefined) ??
  new Counter({
    name: 'eos_orders_created_total',
    help: 'Orders created by checkout, by kind (DELIVERY, VIRTUAL); replays are not counted',
    labelNames: ['kind'],
  });
