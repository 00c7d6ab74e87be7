import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { ConsoleStaticRegistrar } from './console-static.registrar';
import { DevSignInController } from './dev-sign-in.controller';
import { DevSignIn } from './dev-sign-in.service';

/**
 * The customer-service console: its built page and assets under /console (a browser client of the
 * public staff API, nothing more), and the development sign-in it offers outside production.
 */
@Module({
  imports: [StaffModule],
  controllers: [DevSignInController],
  providers: [ConsoleStaticRegistrar, DevSignIn],
})
export class ConsoleModule {}
