import { PlusOutlined } from '@ant-design/icons';
import { Button, Empty, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CustomerView } from '../../../api/client';
import { useApiList } from '../../../api/swr';
import { useSession } from '../../../app/session';
import { tid, useEditor } from '../../../components/EntityModalForm';
import { formatDateTime, formatMoney } from '../../../components/format';
import { useI18n } from '../../../i18n';
import { kindName, StatusTag, type Solution } from './common';
import { SolutionDrawer } from './SolutionDrawer';

/** 解决方案 (the customer's 360° view): its solutions, latest first; a new one for a customer the user may draft for. */
export function CustomerSolutionsTab({ customer: c }: { customer: CustomerView }) {
  const { t } = useI18n();
  const { can } = useSession();
  const drawer = useEditor<number>();
  const remote = useApiList('/api/customers/{id}/solutions', { path: { id: c.id }, query: { limit: 100 } });
  const rows = remote.data?.items ?? [];

  const columns: ColumnsType<Solution> = [
    {
      title: t('solutions.titleField'),
      dataIndex: 'title',
      render: (_, s) => (
        <Typography.Link onClick={() => drawer.open(s.id)} {...tid(`customer-solution-${s.id}`)}>
          {s.title}
        </Typography.Link>
      ),
    },
    { title: t('solutions.kind'), dataIndex: 'kind', width: 130, render: (_, s) => kindName(t, s.kind) },
    { title: t('common.status'), dataIndex: 'status', width: 110, render: (_, s) => <StatusTag status={s.status} id={s.id} /> },
    { title: t('solutions.items'), key: 'items', width: 110, render: (_, s) => t('solutions.itemsN', { n: s.items.length }) },
    { title: t('solutions.revenue'), dataIndex: 'expectedMonthlyRevenue', width: 160, align: 'right', render: formatMoney },
    { title: t('solutions.owner'), dataIndex: 'ownerName', width: 110, render: (_, s) => s.ownerName ?? s.owner ?? '-' },
    { title: t('solutions.updatedAt'), dataIndex: 'updatedAt', width: 170, render: formatDateTime },
  ];

  return (
    <>
      {can('solutions.edit') && c.mergedInto === null && (
        <Button icon={<PlusOutlined />} onClick={() => drawer.open()} style={{ marginBottom: 12 }} {...tid('customer-solution-create')}>
          {t('solutions.create')}
        </Button>
      )}
      <Table<Solution>
        {...tid('customer-solutions-table')}
        rowKey="id"
        size="small"
        loading={remote.isLoading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t('solutions.tab.empty')} /> }}
      />
      {drawer.isOpen && (
        <SolutionDrawer
          solutionId={drawer.record}
          customer={{ id: c.id, name: c.name, customerNo: c.customerNo, kind: c.kind, contactPhone: c.contactPhone }}
          onClose={drawer.close}
          onChanged={() => void remote.mutate()}
        />
      )}
    </>
  );
}
