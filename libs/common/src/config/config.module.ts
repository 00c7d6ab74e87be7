import { Global, Module } from '@nestjs/common';
import { EosConfig, loadConfig } from './eos.config';

export const EOS_CONFIG = Symbol('EOS_CONFIG');

@Global()
@Module({
  providers: [{ provide: EOS_CONFIG, useFactory: (): EosConfig => loadConfig() }],
  exports: [EOS_CONFIG],
})
export class EosConfigModule {}
