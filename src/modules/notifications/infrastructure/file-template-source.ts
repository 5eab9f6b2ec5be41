import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectRoot } from '../../../platform/config/project-root.js';
import type { NotificationKind } from '../domain/notification-plan.js';
import type { TemplateFiles } from '../domain/template.js';
import { TemplateSource } from '../application/ports/template-source.js';

/** src/modules/notifications/templates, in the checkout (from source and from dist/ alike). */
export const TEMPLATES_DIR = path.join(projectRoot(), 'src', 'modules', 'notifications', 'templates');

/** Reads `<kind>.txt`, `<kind>.html` and the layout of its audience, once each. */
@Injectable()
export class FileTemplateSource implements TemplateSource {
  private readonly cache = new Map<string, string>();

  files(kind: NotificationKind): TemplateFiles {
    const layout = kind === 'fraud_alert' ? 'staff-layout' : 'layout';
    return {
      text: this.read(`${kind}.txt`),
      html: this.read(`${kind}.html`),
      layoutText: this.read(`${layout}.txt`),
      layoutHtml: this.read(`${layout}.html`),
    };
  }

  private read(name: string): string {
    let text = this.cache.get(name);
    if (text === undefined) {
      text = readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
      this.cache.set(name, text);
    }
    return text;
  }
}
