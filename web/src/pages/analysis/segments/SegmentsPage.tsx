import { PageContainer } from '@ant-design/pro-components';
import { Empty, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, call, type Schemas } from '../../../api/client';
import { formatDateTime } from '../../../components/format';
import { localUnit, useI18n } from '../../../i18n';

type Segment = Schemas['AnalysisSegment'];

export function ModeTag({ segment }: { segment: Pick<Segment, 'mode'> }) {
  const { t } = useI18n();
  return <Tag color={segment.mode === 'frozen' ? 'blue' : 'green'}>{t(`seg.mode.${segment.mode}`)}</Tag>;
}

/** 目标客户群: the segments of the reader's unit and the units above it. */
export function SegmentsPage() {
  const { t, locale } = useI18n();
  const [rows, setRows] = useState<Segment[]>();
  useEffect(() => {
    void call(api.GET('/api/analysis/segments')).then(setRows);
  }, []);
  return (
    <PageContainer title={t('menu.analysis.segments')} content={t('seg.listIntro')} data-testid="seg-list">
      <Table
        rowKey="id"
        loading={!rows}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('seg.empty')} /> }}
        columns={[
          { title: t('seg.name'), dataIndex: 'name', render: (v: string, s: Segment) => <Link to={`/analysis/segments/${s.id}`}>{v}</Link> },
          { title: t('seg.mode'), dataIndex: 'mode', width: 260, render: (_: unknown, s: Segment) => <>{<ModeTag segment={s} />}{s.frozenAt && t('seg.frozenAt', { at: formatDateTime(s.frozenAt), count: (s.frozenSize ?? 0).toLocaleString() })}</> },
          { title: t('seg.owner'), dataIndex: 'ownerName', width: 120 },
          { title: t('seg.unit'), dataIndex: 'unitName', width: 160, render: (_: string, s: Segment) => localUnit(locale, s) },
          { title: t('seg.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatDateTime(v) },
        ]}
      />
    </PageContainer>
  );
}
