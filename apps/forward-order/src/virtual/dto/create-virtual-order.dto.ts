import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DECIMAL_ID } from '../../orders/dto/checkout.dto';

const invalidId = { context: { code: 'INVALID_ID' }, message: '$property must be a decimal id string' };
const quantityRange = { context: { code: 'QUANTITY_OUT_OF_RANGE' } };

export class VirtualCartLineDto {
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    message: 'sku must be a product code of its business line',
  })
  sku!: string;

  @IsInt(quantityRange)
  @Min(1, quantityRange)
  @Max(99, quantityRange)
  quantity!: number;
}

/**
 * `POST /v1/virtual-orders`. `details` is the line's own data: its shape is checked against the
 * line's schema by the service, since it depends on `businessLine`.
 */
export class CreateVirtualOrderDto {
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'businessLine must name a virtual business line' })
  businessLine!: string;

  @IsString(invalidId)
  @Matches(DECIMAL_ID, invalidId)
  merchantId!: string;

  @IsArray()
  @ArrayMinSize(1, { context: { code: 'CART_EMPTY' }, message: 'items must hold at least one item' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => VirtualCartLineDto)
  items!: VirtualCartLineDto[];

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}
