import { Module } from '@nestjs/common';
import { OrderIdsModule, ReverseOperationsModule } from '@eos/ordering';
import { StaffModule } from '../staff/staff.module';
import { CancellationEscalationScheduler } from './cancellation-escalation.scheduler';
import { CsAuditController } from './cs-audit.controller';
import { CsAuditQueries } from './cs-audit.service';
import { CsOrderQueries } from './cs-order-queries.service';
import { CsOrdersController } from './cs-orders.controller';
import { CsReverseRequestsController } from './cs-reverse-requests.controller';
import { CustomerReverseController } from './customer-reverse.controller';
import { CustomerReverseQueries } from './customer-reverse-queries.service';

/**
 * Reverse requests: customers' cancellations and refund requests, customer service's decisions,
 * force-cancel, order case view, search and audit, and the escalation of undecided cancellations.
 * The rules and transactions are the shared reverse operations of @eos/ordering.
 */
@Module({
  imports: [OrderIdsModule, ReverseOperationsModule, StaffModule],
  controllers: [
    CustomerReverseController,
    CsOrdersController,
    CsReverseRequestsController,
    CsAuditController,
  ],
  providers: [CustomerReverseQueries, CsOrderQueries, CsAuditQueries, CancellationEscalationScheduler],
  exports: [CancellationEscalationScheduler],
})
export class ReverseRequestsModule {}
