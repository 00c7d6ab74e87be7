import { Body, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { DevSignInDto } from './dto/dev-sign-in.dto';
import { DevSignIn, DevSignInToken } from './dev-sign-in.service';

/**
 * Sign-in by staff id for development and demos (the console offers it when GET says so). In
 * production both routes answer 404 as if they did not exist: there, staff bring a real token.
 */
@Controller('v1/cs/dev-sign-in')
export class DevSignInController {
  constructor(private readonly devSignIn: DevSignIn) {}

  @Get()
  availability(): { available: true } {
    this.assertAvailable('GET');
    return { available: true };
  }

  @Post()
  @HttpCode(200)
  signIn(@Body() body: DevSignInDto): Promise<DevSignInToken> {
    this.assertAvailable('POST');
    return this.devSignIn.signIn(body.staffId);
  }

  private assertAvailable(method: string): void {
    if (!this.devSignIn.available) throw new NotFoundException(`Cannot ${method} /v1/cs/dev-sign-in`);
  }
}
