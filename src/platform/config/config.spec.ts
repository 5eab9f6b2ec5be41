import { ConfigError, loadConfig } from './config.js';

const quiet = () => undefined;
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, quiet);

describe('WIDGET_ALLOWED_ORIGINS', () => {
  it('is empty when unset: no page of another origin may embed the widget', () => {
    expect(load({}).widgetAllowedOrigins).toEqual([]);
  });

  it('is read as origins the way a browser sends them: trimmed, lower-case host, default port dropped, no duplicates', () => {
    const config = load({
      WIDGET_ALLOWED_ORIGINS: ' https://WWW.CircleTel.co.za , http://localhost:5173,https://www.circletel.co.za:443/,',
    });
    expect(config.widgetAllowedOrigins).toEqual(['https://www.circletel.co.za', 'http://localhost:5173']);
  });

  it.each([
    ['a wildcard', '*'],
    ['a wildcard host', 'https://*.circletel.co.za'],
    ['a path', 'https://www.circletel.co.za/dashboard'],
    ['a query', 'https://www.circletel.co.za?x=1'],
    ['another scheme', 'ftp://files.circletel.co.za'],
    ['credentials', 'https://user:pw@www.circletel.co.za'],
    ['not a URL', 'circletel.co.za'],
  ])('refuses %s, naming the variable', (_what, value) => {
    expect(() => load({ WIDGET_ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => load({ WIDGET_ALLOWED_ORIGINS: value })).toThrow(/WIDGET_ALLOWED_ORIGINS/);
  });
});
