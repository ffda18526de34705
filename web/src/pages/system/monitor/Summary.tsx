import { Card, Col, Descriptions, Progress, Row, Statistic, Tag } from 'antd';
import type { Answer } from '../../../api/swr';
import { formatDateTime } from '../../../components/format';
import { localName, useI18n } from '../../../i18n';
import { tid } from '../../../components/EntityModalForm';
import { formatBytes } from '../../../components/format';
import { duration } from './words';

export type Snapshot = Answer<'/api/system/monitor'>;

/** The cards at the top: database, disk, sessions, event delivery, the process, requests. */
export function Summary({ m }: { m: Snapshot }) {
  const { t, locale } = useI18n();
  const card = { size: 'small' as const, style: { height: '100%' } };
  return (
    <Row gutter={[16, 16]} {...tid('monitor-summary')}>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.database')} {...card} {...tid('monitor-database')}>
          <DatabaseFacts db={m.database} />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.disk')} {...card}>
          {m.disk ? (
            <>
              <Progress percent={Math.round(100 - m.disk.freePercent)} status={m.disk.freePercent < m.thresholds.diskFreePercent ? 'exception' : 'normal'} />
              {t('monitor.disk.free', { free: formatBytes(m.disk.freeBytes), total: formatBytes(m.disk.totalBytes) })}
            </>
          ) : (
            t('monitor.disk.unknown')
          )}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.sessions')} {...card}>
          <Statistic value={m.sessions.count} />
          <div>{t('monitor.sessions.users', { users: m.sessions.users })}</div>
          {m.sessions.byRole.map((r) => (
            <Tag key={r.role}>
              {localName(locale, r)} {r.count}
            </Tag>
          ))}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.outbox')} {...card}>
          {m.outbox ? (
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('monitor.outbox.pending')}>{m.outbox.pending}</Descriptions.Item>
              <Descriptions.Item label={t('monitor.outbox.deadLetters')}>{m.outbox.deadLetters}</Descriptions.Item>
              <Descriptions.Item label={t('monitor.outbox.oldest')}>{formatDateTime(m.outbox.oldestPendingAt)}</Descriptions.Item>
              <Descriptions.Item label={t('monitor.outbox.subscriptions')}>{m.outbox.subscriptions}</Descriptions.Item>
            </Descriptions>
          ) : (
            t('monitor.outbox.none')
          )}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.process')} {...card}>
          <div>{t('monitor.process.uptime', { duration: duration(m.process.uptimeSeconds * 1000) })}</div>
          <div>{t('monitor.process.memory', { rss: formatBytes(m.process.rssBytes), heap: formatBytes(m.process.heapUsedBytes) })}</div>
          {m.process.eventLoopLagSeconds !== null && <div>{t('monitor.process.lag', { ms: (m.process.eventLoopLagSeconds * 1000).toFixed(1) })}</div>}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('monitor.http')} {...card}>
          <Statistic title={t('monitor.http.errorRate')} value={m.http.errorRate * 100} precision={2} suffix="%" />
          {t('monitor.http.requests', { n: m.http.requests })}
        </Card>
      </Col>
    </Row>
  );
}

function DatabaseFacts({ db }: { db: Snapshot['database'] }) {
  const { t } = useI18n();
  const replication = db.replication;
  return (
    <>
      <div>{db.kind === 'pglite' ? t('monitor.database.pglite') : t('monitor.database.postgres', { version: db.version ?? '' })}</div>
      <div>
        {t('monitor.database.size')} {db.sizeBytes === null ? t('monitor.database.inMemory') : formatBytes(db.sizeBytes)}
      </div>
      {db.connections && (
        <Progress
          percent={Math.round((db.connections.inUse / db.connections.max) * 100)}
          format={() => t('monitor.database.connections', { inUse: db.connections!.inUse, max: db.connections!.max })}
        />
      )}
      {db.kind === 'postgres' && (
        <div>
          {!replication ? t('monitor.database.noReplication') : replication.role === 'primary' ? t('monitor.database.primary', { n: replication.replicas.length }) : t('monitor.database.replica')}
          {replication?.lagSeconds != null && ` · ${t('monitor.database.lag', { seconds: replication.lagSeconds.toFixed(1) })}`}
        </div>
      )}
    </>
  );
}
