/** Port: the e-mail templates kept in the repository (src/modules/notifications/templates). */
import type { NotificationKind } from '../../domain/notification-plan.js';
import type { TemplateFiles } from '../../domain/template.js';

export abstract class TemplateSource {
  abstract files(kind: NotificationKind): TemplateFiles;
}
