#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { demoOptions, prepareDatabase } from './bootstrap.js';
import { loadConfig, type Config } from './config.js';
import { openDatabase } from './db/client.js';
import { seedDemo, type DemoAccount } from './demo/seed.js';
import type { ChainReport } from './platform/audit/chain.js';
import { checkpointFile, takeCheckpoint, verifyWithCheckpoints } from './platform/audit/checkpoints.js';
import { sealWhatCanBe, startAuditSealer } from './platform/audit/sealer.js';
import { makeDeps } from './platform/deps.js';
import { startScheduler } from './platform/jobs/scheduler.js';
import { scheduledJobs } from './scheduled-jobs.js';
import { startEventDelivery } from './platform/outbox/delivery.js';
import { IMPORT_USAGE, runImportCli } from './modules/integration/cli.js';
import { BACKUP_USAGE, runBackupCli } from './modules/system/backup/cli.js';
import { BOSS_USAGE, runBossCli } from './modules/integration/extract.js';
import { BUILTIN_ROLES } from './modules/roles/builtin.js';
import { RULES_USAGE, runRulesCli } from './modules/rules/engine/job.js';

const USAGE = `usage: kam <command>
  serve                     start the server (migrates, loads demo data into an empty database)
  migrate                   apply database migrations and exit
  seed [--profile demo|large]  load demo data into an empty database
  audit verify [--checkpoints <file>]  recompute the audit trail's keyed hash chain and check it against the
                            signed checkpoints (default DATA_DIR/audit-checkpoints.jsonl); exit 1 when broken
  openapi <file>            write the OpenAPI document (the web client is generated from it)
  ${IMPORT_USAGE}
  ${BOSS_USAGE}
  ${RULES_USAGE}
  ${BACKUP_USAGE}`;

function printAccounts(config: Config, accounts: DemoAccount[]) {
  console.log('\n  演示账号 Demo accounts (password: %s)', config.DEMO_PASSWORD);
  for (const a of accounts) {
    const role = BUILTIN_ROLES.find((r) => r.code === a.role);
    // roles by name, never by code; the names are Chinese, padded with full-width spaces to line up
    console.log(`    ${a.username.padEnd(12)} ${a.displayName.padEnd(4, '\u3000')} ${role ? `${role.name} · ${role.nameEn}` : a.role}`);
  }
}

async function serve(config: Config) {
  // the database opens while the web application's modules load
  const [{ database, seeded }, { buildApp }] = await Promise.all([prepareDatabase(config), import('./app.js')]);
  const app = await buildApp(config, database);
  const deps = makeDeps(config, database);
  const scheduler = startScheduler(deps, app.log, scheduledJobs(config, app.log));
  const events = startEventDelivery(deps, app.log);
  // the audit entries committed are chained within a moment (platform/audit/sealer.ts)
  const sealer = startAuditSealer(database, deps.auditKeys, app.log);
  const close = async () => {
    scheduler.stop();
    await events.stop();
    await app.close();
    await sealer.stop();
    // the chain's head as this instance leaves it, outside the database
    await takeCheckpoint(deps, app.log).catch((err: unknown) => app.log.error({ err }, 'no audit checkpoint at shutdown'));
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ host: config.HOST, port: config.PORT });
  console.log(`\n  大客户服务管理系统 is running at http://localhost:${config.PORT}  (database: ${database.kind})`);
  console.log(`  API docs: http://localhost:${config.PORT}/api/docs`);
  printAccounts(config, seeded ?? DEFAULT_ACCOUNTS);
}

function describeChain(r: ChainReport, file: string | null): string {
  const anchors = r.checkpoints.valid
    ? `${r.checkpoints.valid} signed checkpoint${r.checkpoints.valid > 1 ? 's' : ''} of ${file} (newest at entry ${r.checkpoints.latestSeq})`
    : `no signed checkpoint${file ? ` in ${file}` : ''}: a removed tail cannot be seen`;
  const legacy = r.legacyEntries ? `; the first ${r.legacyEntries} entries predate the audit key (SHA-256 only)` : '';
  const start = r.startsAfter ? `; entries up to ${r.startsAfter} archived (AUDIT_ARCHIVED_UP_TO)` : '';
  const unsealed = r.unsealed ? `; ${r.unsealed} entries not sealed yet, their signatures intact` : '';
  const where = r.brokenAt === null && r.brokenEntryId !== null ? `the unsealed entry with id ${r.brokenEntryId}` : `entry ${r.brokenAt}`;
  return r.ok
    ? `audit chain intact: ${r.checked} entries up to ${r.head.seq}; ${anchors}${legacy}${start}${unsealed}`
    : `audit chain BROKEN at ${where}: ${r.problem} (${r.checked} entries checked; ${anchors}${r.checkpoints.forged ? `; ${r.checkpoints.forged} forged checkpoint lines` : ''})`;
}

const DEFAULT_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', role: 'sysadmin', displayName: '' },
  { username: 'gd_head', role: 'province_head', displayName: '' },
  { username: 'gd_analyst', role: 'analyst', displayName: '' },
  { username: 'gd_auditor', role: 'auditor', displayName: '' },
  { username: 'gz_head', role: 'city_head', displayName: '' },
  { username: 'gz_am01', role: 'account_manager', displayName: '' },
  { username: 'gz_agent', role: 'service_agent', displayName: '' },
];

async function main(argv: string[]) {
  const [command, sub] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
      await database.close();
      console.log('migrations applied');
      return;
    }
    case 'seed': {
      const i = argv.indexOf('--profile');
      const profile = (i >= 0 ? argv[i + 1] : 'demo') as 'demo' | 'large';
      if (profile !== 'demo' && profile !== 'large') throw new Error('--profile must be demo or large');
      const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
      const accounts = await seedDemo(database, profile, config.DEMO_SEED, config.DEMO_PASSWORD, demoOptions(config));
      await database.close();
      printAccounts(config, accounts);
      return;
    }
    case 'audit': {
      if (sub !== 'verify') break;
      const i = argv.indexOf('--checkpoints');
      const file = i >= 0 ? (argv[i + 1] ?? null) : checkpointFile(config.DATA_DIR);
      const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
      const { auditKeys } = makeDeps(config, database);
      // what was committed is chained first (platform/audit/sealer.ts), so that the check covers it
      await sealWhatCanBe(database, auditKeys);
      const report = await verifyWithCheckpoints(database, auditKeys, file, config.AUDIT_ARCHIVED_UP_TO);
      await database.close();
      console.log(describeChain(report, file));
      process.exitCode = report.ok ? 0 : 1;
      return;
    }
    case 'import':
      return runImportCli(config, argv.slice(1));
    case 'backup':
      process.exitCode = await runBackupCli(config, argv.slice(1));
      return;
    case 'boss': {
      const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
      try {
        await runBossCli(makeDeps(config, database), argv.slice(1));
      } finally {
        await database.close();
      }
      return;
    }
    case 'rules': {
      const { database } = await prepareDatabase({ ...config, DEMO_PROFILE: 'none' });
      try {
        await runRulesCli(makeDeps(config, database), argv.slice(1));
      } finally {
        await database.close();
      }
      return;
    }
    case 'openapi': {
      if (!sub) break;
      const [database, { buildApp }] = await Promise.all([openDatabase({}), import('./app.js')]);
      const app = await buildApp({ ...config, LOG_LEVEL: 'silent' }, database);
      await app.ready();
      writeFileSync(sub, `${JSON.stringify(app.swagger(), null, 2)}\n`);
      await app.close();
      await database.close();
      return;
    }
  }
  console.error(USAGE);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
