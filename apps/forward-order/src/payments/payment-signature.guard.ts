import { CanActivate, ExecutionContext, Inject, Injectable, RawBodyRequest } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { PAYMENT_SIGNATURE_HEADER, verifyPaymentSignature } from '@eos/ordering';
import type { FastifyRequest } from 'fastify';

/**
 * Lets a payment callback through only if its Eos-Signature matches the exact bytes received and
 * is fresh. Runs before body validation, so an unsigned caller learns nothing about the contract.
 */
@Injectable()
export class PaymentSignatureGuard implements CanActivate {
  constructor(@Inject(EOS_CONFIG) private readonly config: EosConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest<FastifyRequest>>();
    verifyPaymentSignature({
      secret: this.config.PAYMENT_WEBHOOK_SECRET,
      header: request.headers[PAYMENT_SIGNATURE_HEADER],
      rawBody: request.rawBody ?? Buffer.alloc(0),
      nowSeconds: Date.now() / 1000,
    });
    return true;
  }
}
