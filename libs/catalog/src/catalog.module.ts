import { Module } from '@nestjs/common';
import { CatalogPersistenceModule } from '@eos/persistence';
import { MenuService } from './menu.service';

@Module({
  imports: [CatalogPersistenceModule],
  providers: [MenuService],
  exports: [MenuService],
})
export class CatalogModule {}
