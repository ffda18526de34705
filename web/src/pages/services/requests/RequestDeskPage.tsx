import { PageContainer, ProForm, ProFormRadio, ProFormSelect, ProFormText, ProFormTextArea } from '@ant-design/pro-components';
import { Alert, App, Card, Col, Descriptions, Empty, Form, Input, List, Row, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, call, type CustomerSummary } from '../../../api/client';
import { useApi, useApiList } from '../../../api/swr';
import { tid } from '../../../components/EntityModalForm';
import { useSubmit } from '../../../components/useSubmit';
import { localName, localUnit, useI18n } from '../../../i18n';
import { CHANNELS, REQUEST_TYPES, typeName, type RequestDetail, type RequestType } from './common';

interface RequestValues {
  type: RequestType;
  channel: (typeof CHANNELS)[number];
  priority: 'normal' | 'urgent';
  areaKind: 'town' | 'rural';
  title: string;
  description?: string;
}

const MOBILE = /^1\d{10}$/;

/**
 * 受理登记: find the customer (by mobile number, name or customer number), see their level and the benefits left
 * this year, and raise the request. A key account of another area is raised by their own mobile number
 * (跨地区服务): the server finds them wherever they are, and nothing of their profile opens.
 */
export function RequestDeskPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<{ customer?: CustomerSummary; phone?: string } | null>(() => {
    const id = Number(params.get('customerId'));
    return id ? { customer: { id } as CustomerSummary } : null;
  });
  const query = text.trim();
  const found = useApiList('/api/customers', query.length >= 2 ? { query: { q: query, limit: 8 } } : null);
  const items = found.data?.items ?? [];
  const crossRegion = MOBILE.test(query) && !found.isLoading && items.length === 0;

  return (
    <PageContainer title={t('requests.deskTitle')} content={t('requests.deskIntro')} {...tid('request-desk')}>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('requests.findCustomer')}>
            <Input.Search allowClear placeholder={t('requests.findPlaceholder')} onSearch={setText} onChange={(e) => !e.target.value && setText('')} {...tid('desk-search')} />
            {query.length >= 2 && (
              <List
                style={{ marginTop: 8 }}
                size="small"
                loading={found.isLoading}
                dataSource={items}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('requests.noCustomer')} /> }}
                renderItem={(c) => (
                  <List.Item
                    onClick={() => setPicked({ customer: c })}
                    style={{ cursor: 'pointer', background: picked?.customer?.id === c.id ? '#e6f4ff' : undefined }}
                    {...tid(`desk-customer-${c.id}`)}
                  >
                    <CustomerLine customer={c} />
                  </List.Item>
                )}
              />
            )}
            {crossRegion && (
              <Alert
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                message={t('requests.byPhone')}
                description={t('requests.byPhoneHint')}
                action={
                  <Typography.Link onClick={() => setPicked({ phone: query })} {...tid('desk-by-phone')}>
                    {t('requests.create')}
                  </Typography.Link>
                }
              />
            )}
          </Card>
          {picked?.customer && <CustomerCard customerId={picked.customer.id} />}
        </Col>
        <Col xs={24} lg={14}>{picked ? <RequestForm key={picked.customer?.id ?? picked.phone} target={picked} /> : <Card size="small"><Empty description={t('requests.deskEmpty')} /></Card>}</Col>
      </Row>
    </PageContainer>
  );
}

function CustomerLine({ customer: c }: { customer: CustomerSummary }) {
  const { t, locale } = useI18n();
  return (
    <Space direction="vertical" size={0}>
      <Space size={4}>
        <Typography.Text strong>{c.name}</Typography.Text>
        {c.level && <Tag color="gold">{t(`rules.level.${c.level}` as never)}</Tag>}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {c.customerNo} · {localUnit(locale, c)} · {c.contactPhone ?? '-'}
      </Typography.Text>
    </Space>
  );
}

/** The customer's level and the benefits left this year, on screen while the request is taken. */
function CustomerCard({ customerId }: { customerId: number }) {
  const { t, locale } = useI18n();
  const benefits = useApi('/api/customers/{id}/benefits', { path: { id: customerId } });
  const b = benefits.data;
  return (
    <Card size="small" title={t('requests.benefits')} style={{ marginTop: 16 }} loading={benefits.isLoading} {...tid('desk-benefits')}>
      {b && (
        <>
          <Descriptions size="small" column={1} items={[{ key: 'level', label: t('requests.customerLevel'), children: b.level ? <Tag color="gold">{t(`rules.level.${b.level}` as never)}</Tag> : '-' }]} />
          <List
            size="small"
            dataSource={b.benefits.filter((x) => x.allowance > 0)}
            locale={{ emptyText: '-' }}
            renderItem={(x) => (
              <List.Item>
                <Space>
                  <span>{localName(locale, x)}</span>
                  {x.remaining !== null && <Tag color={x.remaining > 0 ? 'green' : 'default'}>{t('requests.benefitLeft', { n: x.remaining })}</Tag>}
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Card>
  );
}

function RequestForm({ target }: { target: { customer?: CustomerSummary; phone?: string } }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const submit = useSubmit();
  const { message } = App.useApp();
  const [form] = Form.useForm<RequestValues>();
  return (
    <Card size="small" title={target.customer?.name ?? target.phone ?? t('requests.customer')} {...tid('desk-form-card')}>
      <ProForm<RequestValues>
        form={form}
        layout="vertical"
        initialValues={{ channel: 'outlet', priority: 'normal', areaKind: 'town' }}
        submitter={{ searchConfig: { submitText: t('requests.create') }, resetButtonProps: false, submitButtonProps: tid('desk-submit') }}
        onFinish={async (v) => {
          let created: RequestDetail | undefined;
          const ok = await submit(form, async () => {
            created = await call(
              api.POST('/api/services/requests', {
                body: { ...(target.customer ? { customerId: target.customer.id } : { phone: target.phone }), ...v },
              }),
            );
          });
          if (ok && created) {
            message.success(t('requests.created', { requestNo: created.requestNo }));
            navigate(`/services/requests/${created.id}`);
          }
          return ok;
        }}
      >
        <ProFormSelect name="type" label={t('requests.type')} rules={[{ required: true }]} options={REQUEST_TYPES.map((k) => ({ value: k, label: typeName(t, k) }))} fieldProps={tid('desk-type')} />
        <ProFormText name="title" label={t('requests.title')} rules={[{ required: true, max: 200 }]} fieldProps={tid('desk-title')} />
        <ProFormTextArea name="description" label={t('requests.description')} fieldProps={{ rows: 4, maxLength: 5000, ...tid('desk-description') }} />
        <ProFormRadio.Group name="channel" label={t('requests.channel')} options={CHANNELS.map((k) => ({ value: k, label: t(`requests.channel.${k}`) }))} />
        <Space size={32}>
          <ProFormRadio.Group name="priority" label={t('requests.priority')} options={(['normal', 'urgent'] as const).map((k) => ({ value: k, label: t(`requests.priority.${k}`) }))} />
          <ProFormRadio.Group name="areaKind" label={t('requests.areaKind')} options={(['town', 'rural'] as const).map((k) => ({ value: k, label: t(`sla.area.${k}`) }))} />
        </Space>
      </ProForm>
    </Card>
  );
}
