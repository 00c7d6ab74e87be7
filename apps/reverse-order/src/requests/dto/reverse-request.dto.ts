import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { RefundBearer } from '@eos/domain';
import { IsDecimalId } from '../../staff/dto/decimal-id.validator';

const NOT_BLANK = /\S/;
const notBlank = { message: '$property must not be blank' };
const quantityRange = { context: { code: 'QUANTITY_OUT_OF_RANGE' } };
const BEARERS = Object.values(RefundBearer);

/** Why: required, 1 to 500 characters, not only spaces. */
function Reason(): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, 500), Matches(NOT_BLANK, notBlank));
}

export class CancellationDto {
  @Reason()
  reason!: string;
}

export class RefundItemDto {
  @IsDecimalId()
  itemId!: string;

  @IsInt(quantityRange)
  @Min(1, quantityRange)
  @Max(99, quantityRange)
  quantity!: number;
}

/**
 * Items omitted: everything still refundable on the order. A virtual order is refunded whole: items
 * on one are 400 VALIDATION_FAILED, decided once the order's kind is known (assertRefundScope).
 */
export class RefundRequestDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'items must hold at least one item (leave it out to refund everything)' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RefundItemDto)
  items?: RefundItemDto[];

  @Reason()
  reason!: string;
}

export class ApproveDto {
  @IsOptional()
  @Reason()
  reason?: string;

  /** Who bears the refund; default: the merchant. */
  @IsOptional()
  @IsIn(BEARERS, { message: `bearer must be one of ${BEARERS.join(', ')}` })
  bearer?: RefundBearer;
}

export class RejectDto {
  @Reason()
  reason!: string;
}

export class StaffCancelDto {
  @Reason()
  reason!: string;

  /** Who bears the refund of a paid order; default: the platform. */
  @IsOptional()
  @IsIn(BEARERS, { message: `bearer must be one of ${BEARERS.join(', ')}` })
  bearer?: RefundBearer;
}
