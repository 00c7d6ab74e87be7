import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RefundStatus } from '@eos/domain';

/** `GET /v1/cs/refunds?status=FAILED&limit=`: the refunds waiting for staff. */
export class ListRefundsQuery {
  // Only the failures are listed across shards (they are what staff act on); an order's refunds
  // of every status are on the order's customer-service view. Absent means FAILED.
  @IsOptional()
  @IsIn([RefundStatus.Failed])
  status?: typeof RefundStatus.Failed;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
