import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { AdminConsoleController } from './admin-console.controller.js';
import { WebAssets } from './web-assets.js';
import { WidgetDemoController } from './widget-demo.controller.js';
import { WidgetController } from './widget.controller.js';

/**
 * The front ends, served by the service itself from dist/web (built by `npm run build:web` from
 * src/web): the customer widget and the admin console always, the widget's demo page outside
 * production only.
 */
@Module({})
export class WebModule {
  static forRoot(config: AppConfig): DynamicModule {
    const production = config.nodeEnv === 'production';
    return {
      module: WebModule,
      controllers: production
        ? [WidgetController, AdminConsoleController]
        : [WidgetController, WidgetDemoController, AdminConsoleController],
      providers: [{ provide: WebAssets, useValue: new WebAssets(production) }],
    };
  }
}
