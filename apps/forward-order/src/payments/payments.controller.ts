import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { PaymentNotifications, PaymentReceipt } from '@eos/ordering';
import { PaymentCallbackDto, toPaymentNotification } from './payment-callback.dto';
import { PaymentSignatureGuard } from './payment-signature.guard';

/** The payment provider's signed callbacks. A replayed notification is acknowledged and changes nothing. */
@Controller('v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentNotifications) {}

  @Post('callback')
  @HttpCode(200)
  @UseGuards(PaymentSignatureGuard)
  async callback(@Body() body: PaymentCallbackDto): Promise<{ received: true } & PaymentReceipt> {
    const receipt = await this.payments.receive(toPaymentNotification(body));
    return { received: true, ...receipt };
  }
}
