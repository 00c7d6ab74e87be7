import { RequestRecorder } from './request-recorder';

describe('RequestRecorder', () => {
  it('sums requests by kind, counts orders and errors by code, and keeps samples', () => {
    const recorder = new RequestRecorder(1_000);
    recorder.success('checkout', 1_000, 10, true);
    recorder.success('checkout', 1_100, 30, true);
    recorder.success('menu', 1_200, 2);
    recorder.failure('checkout', '409', 1_300, 5, '{"code":"CONFLICT"}');
    recorder.failure('checkout', 'IN_FLIGHT_CAP', 2_500, 0);
    recorder.sample('409', 'second body');
    const summary = recorder.summarize(2);
    expect(summary).toMatchObject({
      seconds: 2,
      requests: 5,
      requestsPerSecond: 2.5,
      ok: 3,
      orders: 2,
      ordersPerSecond: 1,
      errors: 2,
      errorsByCode: { '409': 1, IN_FLIGHT_CAP: 1 },
      errorSamples: { '409': ['{"code":"CONFLICT"}', 'second body'] },
    });
    expect(summary.byKind.checkout).toMatchObject({ requests: 4, ok: 2, errors: 2, requestsPerSecond: 2 });
    expect(summary.byKind.checkout.latency.maxMs).toBe(30);
    expect(summary.byKind.menu).toMatchObject({ requests: 1, ok: 1, errors: 0 });
    expect(summary.latency.count).toBe(3);
    expect(summary.timeline.map((w) => [w.requests, w.ok])).toEqual([
      [4, 3],
      [1, 0],
    ]);
  });
});
