import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ROOT } from '../support/process.js';

/**
 * The Prometheus alert rules and the Grafana dashboard committed under
 * src/platform/observability/ops/ name only metrics the service really exposes on /metrics, so
 * renaming or dropping a metric cannot silently blind an alert or a panel.
 */
const OPS = path.join(ROOT, 'src/platform/observability/ops');
/** Series Prometheus makes itself, not the service. */
const SYNTHETIC = new Set(['up']);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

/** Metric names a PromQL expression reads. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges, subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // label lists
    .replace(/\b\d+(\.\d+)?(e[+-]?\d+)?\b/gi, ''); // numbers
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    if (m[1]) continue; // a function or an aggregation
    if (!KEYWORDS.has(m[0])) names.add(m[0]);
  }
  return [...names];
}

function ruleExpressions(): { where: string; expr: string }[] {
  const text = readFileSync(path.join(OPS, 'prometheus-rules.yml'), 'utf8');
  const out: { where: string; expr: string }[] = [];
  let alert = '?';
  for (const line of text.split('\n')) {
    const a = /^\s*- alert:\s*(\S+)/.exec(line);
    if (a) alert = a[1]!;
    const e = /^\s*expr:\s*(.+)$/.exec(line);
    if (e) out.push({ where: `alert ${alert}`, expr: e[1]!.trim() });
  }
  return out;
}

function dashboardExpressions(): { where: string; expr: string }[] {
  const dash = JSON.parse(readFileSync(path.join(OPS, 'grafana-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  return dash.panels.flatMap((p) =>
    (p.targets ?? []).map((target) => ({ where: `panel "${p.title}"`, expr: target.expr })),
  );
}

/** Every sample name /metrics can carry: TYPE lines, with a histogram's _bucket/_sum/_count. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    names.add(name!);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name! + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name! + suffix);
  }
  return names;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('alert rules and dashboard', () => {
  it('read metric names out of PromQL', () => {
    expect(
      metricNames(
        'sum(rate(http_request_duration_seconds_count{status=~"5.."}[5m])) / sum by (route) (rate(x_total[$__rate_interval])) > 0.05',
      ),
    ).toEqual(['http_request_duration_seconds_count', 'x_total']);
    expect(metricNames('time() - max(last_success_seconds) > 26 * 3600 and delta(max(b)[30m:1m]) > 0')).toEqual([
      'last_success_seconds',
      'b',
    ]);
  });

  it('alert on a missed nightly run, a growing or stale outbox, the 5xx rate and the database', () => {
    const exprs = ruleExpressions()
      .map((r) => r.expr)
      .join('\n');
    for (const needle of [
      'reconciliation_last_success_timestamp_seconds) > 26 * 3600',
      'outbox_backlog_events',
      'outbox_oldest_undelivered_age_seconds',
      'status=~"5.."',
      'database_up',
    ]) {
      expect(exprs).toContain(needle);
    }
  });

  it('name only metrics that exist on /metrics', async () => {
    const exposed = exposedNames((await request(t.server).get('/metrics').expect(200)).text);
    const used = [...ruleExpressions(), ...dashboardExpressions()];
    expect(used.length).toBeGreaterThan(20);
    const missing = used.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exposed.has(name) && !SYNTHETIC.has(name))
        .map((name) => `${where}: ${name} is not on /metrics`),
    );
    expect(missing).toEqual([]);
  });
});
