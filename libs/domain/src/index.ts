export * from './domain.error';
export * from './money';
export * from './order-status';
export * from './forward-state-machine';
export * from './menu';
export * from './pricing';
export * from './order-event';
export * from './order';
