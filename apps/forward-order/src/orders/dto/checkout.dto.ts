import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Ids travel as decimal strings of positive int64s. */
export const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const invalidId = { context: { code: 'INVALID_ID' }, message: '$property must be a decimal id string' };
const quantityRange = { context: { code: 'QUANTITY_OUT_OF_RANGE' } };

export class CartLineDto {
  @IsString(invalidId)
  @Matches(DECIMAL_ID, invalidId)
  itemId!: string;

  @IsInt(quantityRange)
  @Min(1, quantityRange)
  @Max(99, quantityRange)
  quantity!: number;
}

export class AddressDto {
  @IsString()
  @Length(1, 200)
  line1!: string;

  @IsString()
  @Length(1, 100)
  city!: string;

  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'phone must be 5 to 20 digits, spaces or dashes' })
  phone!: string;
}

export class CheckoutDto {
  @IsString(invalidId)
  @Matches(DECIMAL_ID, invalidId)
  merchantId!: string;

  @IsArray()
  @ArrayMinSize(1, { context: { code: 'CART_EMPTY' }, message: 'items must hold at least one item' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CartLineDto)
  items!: CartLineDto[];

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}
