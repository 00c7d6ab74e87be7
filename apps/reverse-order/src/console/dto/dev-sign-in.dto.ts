import { IsDecimalId } from '../../staff/dto/decimal-id.validator';

export class DevSignInDto {
  @IsDecimalId()
  staffId!: string;
}
