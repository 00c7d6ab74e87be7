import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';

interface PingReply {
  service: string;
  time: string;
}

@Controller()
export class BlinkStatusGrpc {
  @GrpcMethod('BlinkStatus', 'Ping')
  ping(): PingReply {
    return { service: 'osc-blink', time: new Date().toISOString() };
  }
}
