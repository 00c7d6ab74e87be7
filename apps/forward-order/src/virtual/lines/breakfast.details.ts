import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The line data of a breakfast order (schema version 1). */
export class BreakfastDetails {
  /** The day the customer means to pick the breakfast up, YYYY-MM-DD; the voucher works any day. */
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: '$property must be a date YYYY-MM-DD',
  })
  pickupDate?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  note?: string;
}
