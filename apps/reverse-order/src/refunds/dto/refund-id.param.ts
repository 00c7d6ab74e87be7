import { IsDecimalId } from '../../staff/dto/decimal-id.validator';

export class RefundIdParam {
  @IsDecimalId()
  refundId!: string;
}
