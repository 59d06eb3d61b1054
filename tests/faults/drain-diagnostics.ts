/**
 * What the suite saves when the pipeline does not drain, so an intermittent stall can be explained
 * after the run: Connect's connector and task states, the sink groups' members and assignments,
 * and a thread dump of the Connect worker (a task RUNNING but not consuming is stuck in a call).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { connectFetch } from '../../cli/src/infra/connectors.js';
import { jvmComponents } from '../../cli/src/infra/jvm-components.js';
import { runningPid } from '../../cli/src/infra/processes.js';
import { connectRest } from '../../cli/src/infra/stack-secrets.js';
import { endpoints, stackConfig } from '../integration/stack.js';

async function section(title: string, read: () => Promise<string> | string): Promise<string> {
  try {
    return `## ${title}\n${await read()}\n`;
  } catch (err) {
    return `## ${title}\n(unavailable: ${String(err)})\n`;
  }
}

async function connectorStates(): Promise<string> {
  const response = await connectFetch(connectRest(stackConfig), '/connectors?expand=status');
  return JSON.stringify(await response.json(), null, 2);
}

async function sinkGroupMembers(): Promise<string> {
  const kafka = new Kafka({ clientId: 'polluscope-fault-diagnostics', brokers: [endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const connectGroups = groups.map((g) => g.groupId).filter((id) => id.startsWith('connect-'));
    const described = await admin.describeGroups(connectGroups);
    return described.groups
      .map((g) => {
        const members = g.members.map((m) => {
          const assignment = m.memberAssignment.length > 0 ? ` assignment ${m.memberAssignment.length} bytes` : ' no assignment';
          return `  ${m.clientId} ${m.clientHost}${assignment}`;
        });
        return `${g.groupId}: ${g.state}, protocol ${g.protocol}, ${g.members.length} member(s)\n${members.join('\n')}`;
      })
      .join('\n');
  } finally {
    await admin.disconnect();
  }
}

function connectThreadDump(): string {
  const connect = jvmComponents(stackConfig).find((c) => c.spec.name === 'connect');
  if (!connect) return 'no embedded Connect';
  const pid = runningPid(stackConfig.runDir, connect.spec.name, connect.spec.marker);
  if (pid === null) return 'Connect is not running';
  const dump = spawnSync('jstack', ['-l', String(pid)], { encoding: 'utf8', timeout: 30_000 });
  return dump.stdout || dump.stderr || `jstack exited ${dump.status}`;
}

/** Writes the diagnostics under the stack's log directory and returns the file's path. */
export async function saveDrainDiagnostics(label: string): Promise<string> {
  const text = [
    `# ${label}: the pipeline did not drain (${new Date().toISOString()})\n`,
    await section('connectors', connectorStates),
    await section('consumer groups of Connect', sinkGroupMembers),
    await section('Connect thread dump', connectThreadDump),
  ].join('\n');
  mkdirSync(stackConfig.logDir, { recursive: true });
  const file = join(stackConfig.logDir, `drain-timeout-${label.replace(/[^a-z0-9]+/gi, '-')}-${Date.now()}.txt`);
  writeFileSync(file, text);
  return file;
}
