import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { withQueryDeadline } from '@eos/persistence';
import { Observable, tap } from 'rxjs';
import { blinkCallSeconds, blinkCalls } from './blink.metrics';
import { callerDeadline, grpcCallOf, methodOf } from './grpc-call';

/**
 * Runs the handler inside the caller's deadline: every query issued on its behalf (by the bridge
 * or by the shared order operations it calls) is cancelled by Postgres when the deadline passes,
 * instead of running on for nobody. Also counts successful calls; failures are counted by the
 * error filter, which sees every one of them (guards' too).
 */
@Injectable()
export class CallDeadlineInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const call = grpcCallOf(context);
    const method = methodOf(call);
    const streaming = 'write' in call;
    const started = process.hrtime.bigint();
    const deadline = callerDeadline(call);
    // Nest binds the handler to the async context current when handle() is called, so the
    // deadline scope opened here follows the handler and everything it awaits.
    const handled = Number.isFinite(deadline)
      ? withQueryDeadline(deadline, () => next.handle())
      : next.handle();
    return handled.pipe(
      tap({
        complete: () => {
          blinkCalls.inc({ method, code: status[status.OK] });
          if (!streaming)
            blinkCallSeconds.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      }),
    );
  }
}
