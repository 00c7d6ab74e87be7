export * from './menu.service';
export * from './catalog.module';
