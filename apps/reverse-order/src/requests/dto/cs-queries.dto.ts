import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDecimalId } from '../../staff/dto/decimal-id.validator';

/** Exactly one of userId and merchantId (checked by the service, which says which is missing). */
export class CsOrdersQuery {
  @IsOptional()
  @IsDecimalId()
  userId?: string;

  @IsOptional()
  @IsDecimalId()
  merchantId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsDecimalId({ message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}

/** Exactly one of orderId and staffId. */
export class AuditQuery {
  @IsOptional()
  @IsDecimalId()
  orderId?: string;

  @IsOptional()
  @IsDecimalId()
  staffId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
