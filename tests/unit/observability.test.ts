/**
 * Metrics, dashboards and alerts of the Compose deployment, checked offline (docs/design.md §7): the
 * rule files pass `promtool check rules` (Debian's prometheus package, which scripts/setup.mjs
 * installs), every alert has a runbook entry, every dashboard names only provisioned datasources,
 * Prometheus scrapes every service at its port; and the slot-safety settings of the connectors.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICES } from '@polluscope/common';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const filesIn = (dir: string, ext: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext)).map((f) => `${dir}/${f}`);

const RULE_FILES = filesIn('infrastructure/prometheus/rules', '.yml');
const DASHBOARDS = filesIn('infrastructure/grafana/dashboards', '.json');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (): Rule[] => RULE_FILES.flatMap((f) => (parse(read(f)) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules));

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** Every datasource uid a dashboard names, in panels, targets, rows and variables. */
function datasourceUids(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) datasourceUids(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'datasource') {
        if (typeof value === 'string') found.add(value);
        else if (value !== null && typeof value === 'object' && 'uid' in value) found.add(String((value as { uid: unknown }).uid));
      } else datasourceUids(value, found);
    }
  }
  return found;
}

describe('alert rules', { timeout: 60_000 }, () => {
  it('there is a rule file', () => expect(RULE_FILES.length).toBeGreaterThan(0));

  it.each(RULE_FILES)('%s passes promtool check rules', (file) => {
    const result = spawnSync('promtool', ['check', 'rules', file], { cwd: ROOT, encoding: 'utf8' });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error('promtool is not installed: run `node scripts/setup.mjs` as root or `sudo apt-get install -y prometheus` (Debian package)');
    }
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });

  it('covers lag, dead letters, connector and task failures, service readiness and the slot WAL', () => {
    const names = rules().map((r) => r.alert);
    for (const name of ['ConsumerLagRising', 'DeadLettersWritten', 'ConnectorFailed', 'ConnectorTaskFailed', 'SinkRecordFailed', 'ServiceNotReady', 'ReplicationSlotWalHigh']) {
      expect(names).toContain(name);
    }
    // Lag must rise for 5 minutes before it pages.
    expect(rules().find((r) => r.alert === 'ConsumerLagRising')?.for).toBe('5m');
  });

  it('every alert has a severity, a summary and a runbook entry in infrastructure/README.md', () => {
    const headings = new Set(read('infrastructure/README.md').split('\n').filter((l) => /^#{2,4} /.test(l)).map((l) => anchor(l.replace(/^#+ /, ''))));
    for (const rule of rules().filter((r) => r.alert !== undefined)) {
      expect(rule.labels?.severity, rule.alert).toMatch(/^(warning|critical)$/);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      const [file, fragment] = (rule.annotations?.runbook ?? '').split('#');
      expect(file, rule.alert).toBe('infrastructure/README.md');
      expect(headings.has(fragment ?? ''), `${rule.alert}: no heading for #${fragment} in infrastructure/README.md`).toBe(true);
    }
  });

  it('the slot WAL alert fires below the cap PostgreSQL enforces', () => {
    const cap = /MAX_SLOT_WAL_KEEP_SIZE = '(\d+)GB'/.exec(read('cli/src/infra/postgres.ts'))?.[1];
    const threshold = /> (\d+) \* 1024 \* 1024 \* 1024/.exec(rules().find((r) => r.alert === 'ReplicationSlotWalHigh')?.expr ?? '')?.[1];
    expect(Number(threshold)).toBeGreaterThan(0);
    expect(Number(threshold)).toBeLessThan(Number(cap));
  });
});

describe('Prometheus and Alertmanager configuration', () => {
  const prometheus = parse(read('infrastructure/prometheus/prometheus.yml')) as {
    rule_files: string[];
    alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
    scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[]; static_configs?: { targets: string[] }[] }[];
  };
  const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name);

  it('passes promtool check config', () => {
    const result = spawnSync('promtool', ['check', 'config', '--syntax-only', 'infrastructure/prometheus/prometheus.yml'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });

  it.each(['services', 'services-health'])('job %s reaches every service, every replica, at its port', (name) => {
    const targets = Object.fromEntries((job(name)?.dns_sd_configs ?? []).flatMap((c) => c.names.map((n) => [n, c.port])));
    expect(targets).toEqual(Object.fromEntries(Object.values(SERVICES).map((s) => [s.name, s.port])));
  });

  it('scrapes the broker and Connect at the JMX exporter port of the compose file, and the exporters', () => {
    const compose = read('docker-compose.infra.yml');
    for (const [name, target] of [['kafka', 'kafka:9404'], ['connect', 'connect:9404'], ['kafka-exporter', 'kafka-exporter:9308'], ['rawdata', 'rawdata-exporter:9187']]) {
      expect(job(name ?? '')?.static_configs?.[0]?.targets, name).toEqual([target]);
    }
    expect(compose).toContain('jmx_prometheus_javaagent.jar=9404:');
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    expect(prometheus.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual(['alertmanager:9093']);
  });

  it('Alertmanager routes to a receiver that exists', () => {
    const am = parse(read('infrastructure/alertmanager/alertmanager.yml')) as { route: { receiver: string }; receivers: { name: string }[] };
    expect(am.receivers.map((r) => r.name)).toContain(am.route.receiver);
  });
});

describe('Grafana dashboards', () => {
  const provisioned = (parse(read('infrastructure/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string }[] }).datasources.map((d) => d.uid);

  it('the datasource finder sees uids in panels, targets and strings', () => {
    const uids = datasourceUids({ panels: [{ datasource: { uid: 'a' }, targets: [{ datasource: { type: 'prometheus', uid: 'b' } }] }, { datasource: 'c' }] });
    expect([...uids].sort()).toEqual(['a', 'b', 'c']);
  });

  it.each(DASHBOARDS)('%s names only provisioned datasources, and each panel queries Prometheus', (file) => {
    const dashboard = JSON.parse(read(file)) as { uid: string; panels: { type: string; targets?: { expr: string }[] }[] };
    expect(dashboard.uid).toMatch(/^polluscope-/);
    const uids = datasourceUids(dashboard);
    expect(uids.size).toBeGreaterThan(0);
    for (const uid of uids) expect(provisioned, `${file} names datasource ${uid}`).toContain(uid);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect(panel.targets?.[0]?.expr, file).toBeTruthy();
  });

  it('dashboards have distinct uids and cover flow, lag, dead letters, connectors, slot WAL and service health', () => {
    const dashboards = DASHBOARDS.map((f) => JSON.parse(read(f)) as { uid: string; panels: { title: string }[] });
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(dashboards.length);
    const titles = dashboards.flatMap((d) => d.panels.map((p) => p.title)).join('\n');
    for (const topic of ['Pipeline flow', 'Lag per consumer group', 'Dead letters', 'Connector state', 'Replication slot', 'Service health']) expect(titles).toContain(topic);
  });

  it('the provider reads the folder the compose file mounts', () => {
    const provider = (parse(read('infrastructure/grafana/provisioning/dashboards/polluscope.yml')) as { providers: { options: { path: string } }[] }).providers[0];
    expect(read('docker-compose.infra.yml')).toContain(`./infrastructure/grafana/dashboards:${provider?.options.path}:ro`);
  });
});

describe('slot safety and visible sink failures (connectors/*.json)', () => {
  const connectors = filesIn('connectors', '.json').map((f) => JSON.parse(read(f)) as { name: string; config: Record<string, string> });

  it('the CDC source sends heartbeats, with an action query so the slot advances on an idle database', () => {
    const source = connectors.find((c) => c.config['connector.class'] === 'io.debezium.connector.postgresql.PostgresConnector');
    expect(Number(source?.config['heartbeat.interval.ms'])).toBeGreaterThan(0);
    expect(source?.config['heartbeat.action.query']).toMatch(/pg_logical_emit_message/);
    // The key transforms need participant_virtual_id, which heartbeat records do not carry.
    for (const t of ['keyFromValue', 'keyField']) {
      expect(source?.config[`transforms.${t}.predicate`], t).toBe('isHeartbeat');
      expect(source?.config[`transforms.${t}.negate`], t).toBe('true');
    }
  });

  it('the sinks fail on a record they cannot write (never skip it) and use collection.name.format', () => {
    const sinks = connectors.filter((c) => c.config['connector.class'] === 'io.debezium.connector.jdbc.JdbcSinkConnector');
    expect(sinks.length).toBeGreaterThan(0);
    for (const sink of sinks) {
      expect(sink.config['errors.tolerance'] ?? 'none', sink.name).toBe('none');
      expect(sink.config, sink.name).not.toHaveProperty('table.name.format');
      expect(sink.config['collection.name.format'], sink.name).toBe('${topic}');
    }
  });
});
