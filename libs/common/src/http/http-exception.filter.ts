import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isDomainError } from '@eos/domain';
import type { FastifyReply } from 'fastify';
import { HTTP_STATUS_OF } from './domain-error.http-status';
import { ErrorBody, INTERNAL_ERROR_BODY, errorBody } from './error-body';

interface FrameworkErrorResponse {
  message?: string | string[];
  code?: string;
}

/** Translates anything thrown while serving a request into the contract's error body. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (isDomainError(exception)) {
      return errorBody(HTTP_STATUS_OF[exception.code], exception.message, exception.code);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'string') return errorBody(status, response);
      const { message, code } = response as FrameworkErrorResponse;
      const text = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
      const validation = status === 400 && Array.isArray(message);
      return errorBody(status, text, code ?? (validation ? 'VALIDATION_FAILED' : undefined));
    }
    const fastifyError = exception as { statusCode?: unknown; message?: unknown; code?: unknown };
    if (
      typeof fastifyError.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      // Fastify's own client errors (malformed JSON, wrong content type, body too large).
      return errorBody(
        fastifyError.statusCode,
        typeof fastifyError.message === 'string' ? fastifyError.message : 'bad request',
      );
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return INTERNAL_ERROR_BODY;
  }
}
