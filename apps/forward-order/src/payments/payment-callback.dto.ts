import { IsIn, IsISO8601, IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PaymentNotification, PaymentStatus } from '@eos/domain';
import { DECIMAL_ID } from '../orders/dto/checkout.dto';

const invalidId = { context: { code: 'INVALID_ID' }, message: '$property must be a decimal id string' };

/** The body of the payment provider's callback (v1 contract). */
export class PaymentCallbackDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'notificationId must be 1 to 128 letters, digits, "_", ".", ":" or "-"',
  })
  notificationId!: string;

  @IsString(invalidId)
  @Matches(DECIMAL_ID, invalidId)
  orderId!: string;

  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountCents!: number;

  @IsIn(Object.values(PaymentStatus))
  status!: PaymentStatus;

  /** Required for a successful payment; a failed attempt may report none. */
  @ValidateIf((dto: PaymentCallbackDto) => dto.status !== PaymentStatus.Failed || dto.paidAt != null)
  @IsISO8601({ strict: true })
  paidAt!: string | null;
}

export function toPaymentNotification(dto: PaymentCallbackDto): PaymentNotification {
  return {
    notificationId: dto.notificationId,
    orderId: dto.orderId,
    amountCents: dto.amountCents,
    status: dto.status,
    paidAt: dto.paidAt == null ? null : new Date(dto.paidAt),
  };
}
