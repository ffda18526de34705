import { SwapOutlined } from '@ant-design/icons';
import { PageContainer, ProTable, type ActionType, type ProColumns } from '@ant-design/pro-components';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, callList } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { useSession } from '../../../app/session';
import { tid } from '../../../components/EntityModalForm';
import { formatMoney } from '../../../components/format';
import { listTableProps, valueEnumOf } from '../../../components/listTable';
import { usePagedRequest } from '../../../components/pagedRequest';
import { UnitTreeSelect } from '../../../components/units';
import { localUnit, useI18n } from '../../../i18n';
import { daysUntil, EXPIRY_WARN_DAYS, GRADES, GradeTag, gradeName, monthOf, SKILLS, skillName, tenureText, type ManagerSummary } from './common';
import { MoveWizard } from './MoveWizard';

type Query = NonNullable<paths['/api/managers']['get']['parameters']['query']>;

/** 经理档案: the account managers of the head's units with their grade, tenure, skills, certifications and portfolio. */
export function ManagerListPage() {
  const { t, locale } = useI18n();
  const { can } = useSession();
  const table = useRef<ActionType>(null);
  const [moving, setMoving] = useState(false);
  const [valueMonth, setValueMonth] = useState<string | null>(null);

  const load = useCallback(async (query: Record<string, unknown> & { offset: number; limit: number }) => {
    const page = await callList(api.GET('/api/managers', { params: { query: query as Query } }));
    setValueMonth(page.items[0]?.valueMonth ?? null);
    return page;
  }, []);
  const request = usePagedRequest<ManagerSummary>(load);

  const columns: ProColumns<ManagerSummary>[] = [
    { title: t('managerProfiles.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: tid('managers-search-q') },
    {
      title: t('managerProfiles.name'),
      dataIndex: 'name',
      search: false,
      sorter: true,
      fixed: 'left',
      width: 120,
      render: (_, m) => (
        <Link to={`/managers/profiles/${m.id}`} {...tid(`manager-open-${m.username}`)}>
          {m.displayName}
        </Link>
      ),
    },
    {
      title: t('managerProfiles.unit'),
      dataIndex: 'unitId',
      width: 180,
      render: (_, m) => localUnit(locale, m),
      renderFormItem: () => <UnitTreeSelect {...tid('managers-search-unit')} />,
    },
    {
      title: t('managerProfiles.grade'),
      dataIndex: 'grade',
      width: 90,
      valueType: 'select',
      valueEnum: valueEnumOf(GRADES, (g) => gradeName(t, g)),
      fieldProps: tid('managers-search-grade'),
      render: (_, m) => <GradeTag grade={m.grade} t={t} />,
    },
    { title: t('managerProfiles.tenure'), dataIndex: 'tenure', search: false, sorter: true, width: 110, render: (_, m) => tenureText(t, m.tenureMonths) },
    {
      title: t('managerProfiles.skills'),
      dataIndex: 'skill',
      width: 200,
      valueType: 'select',
      valueEnum: valueEnumOf(SKILLS, (s) => skillName(t, s)),
      fieldProps: tid('managers-search-skill'),
      render: (_, m) => (
        <Space size={[0, 4]} wrap>
          {m.skills.map((s) => (
            <Tag key={s}>{skillName(t, s)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('managerProfiles.certifications'),
      dataIndex: 'certifications',
      search: false,
      width: 170,
      render: (_, m) => {
        const soon = m.nextExpiry !== null && daysUntil(m.nextExpiry) <= EXPIRY_WARN_DAYS;
        return (
          <Space size={4} wrap>
            <span>{t('managerProfiles.certificationsValue', { n: m.certifications })}</span>
            {m.nextExpiry && (
              <Tooltip title={t('managerProfiles.nextExpiry')}>
                <Tag color={soon ? 'orange' : undefined}>{m.nextExpiry}</Tag>
              </Tooltip>
            )}
            {m.expiredCertifications > 0 && <Tag color="red">{t('managerProfiles.expired', { n: m.expiredCertifications })}</Tag>}
          </Space>
        );
      },
    },
    {
      title: t('managerProfiles.portfolioSize'),
      dataIndex: 'size',
      search: false,
      sorter: true,
      width: 120,
      align: 'right',
      render: (_, m) => (
        <Space size={4}>
          <span {...tid(`manager-size-${m.username}`)}>{m.portfolioSize.toLocaleString()}</span>
          {m.overMax && (
            <Tooltip title={`${t('managerProfiles.maxPortfolio')} ${m.maxPortfolio}`}>
              <Tag color="red">{t('managerProfiles.overMax')}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: valueMonth ? t('managerProfiles.portfolioValueOf', { month: monthOf(valueMonth) }) : t('managerProfiles.portfolioValue'),
      dataIndex: 'value',
      search: false,
      sorter: true,
      width: 170,
      align: 'right',
      render: (_, m) => formatMoney(m.portfolioValue),
    },
    {
      title: t('managerProfiles.overMaxFilter'),
      dataIndex: 'overMax',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { true: { text: t('managerProfiles.overMaxFilter.true') }, false: { text: t('managerProfiles.overMaxFilter.false') } },
      fieldProps: tid('managers-search-overmax'),
    },
  ];

  return (
    <PageContainer title={t('managerProfiles.title')} content={t('managerProfiles.intro')} {...tid('managers-page')}>
      <ProTable<ManagerSummary>
        {...tid('managers-table')}
        rowKey="id"
        actionRef={table}
        columns={columns}
        request={request}
        {...listTableProps(t, { showSizeChanger: true })}
        scroll={{ x: 1300 }}
        toolBarRender={() => [
          !valueMonth && (
            <Typography.Text key="month" type="secondary">
              {t('managerProfiles.noValueMonth')}
            </Typography.Text>
          ),
          can('customers.assign') && (
            <Button key="move" type="primary" icon={<SwapOutlined />} onClick={() => setMoving(true)} {...tid('managers-move')}>
              {t('managerProfiles.move')}
            </Button>
          ),
        ]}
      />
      <MoveWizard open={moving} onClose={() => setMoving(false)} onMoved={() => table.current?.reload()} />
    </PageContainer>
  );
}
