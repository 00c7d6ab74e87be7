import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ORDER_KINDS, ORDER_STATUSES, OrderKind, OrderStatus } from '@eos/domain';
import { DECIMAL_ID } from './checkout.dto';

export class ListOrdersQuery {
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  /** DELIVERY or VIRTUAL; every kind when absent. */
  @IsOptional()
  @IsIn(ORDER_KINDS)
  kind?: OrderKind;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @Matches(DECIMAL_ID, {
    context: { code: 'INVALID_ID' },
    message: 'cursor must be a nextCursor from a previous page',
  })
  cursor?: string;
}
