import { HttpStatus } from '@nestjs/common';

/** The error shape of the public contract. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly code: string;
}

const REASON: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A stable code for errors that did not come from the domain (framework, routing, parsing). */
const CODE_OF_STATUS: Partial<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function errorBody(statusCode: number, message: string, code?: string): ErrorBody {
  return {
    statusCode,
    error: REASON[statusCode] ?? (statusCode >= 500 ? 'Server Error' : 'Client Error'),
    message,
    code: code ?? CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
  };
}

export const INTERNAL_ERROR_BODY = errorBody(
  HttpStatus.INTERNAL_SERVER_ERROR,
  'internal error',
  'INTERNAL_ERROR',
);
