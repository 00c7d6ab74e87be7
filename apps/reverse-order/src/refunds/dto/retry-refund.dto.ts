import { IsString, MaxLength, MinLength } from 'class-validator';

/** `POST /v1/cs/refunds/:refundId/retry`: why staff send a failed refund back to the provider (audited). */
export class RetryRefundDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
