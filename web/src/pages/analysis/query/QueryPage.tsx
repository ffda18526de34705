import { PageContainer } from '@ant-design/pro-components';
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, List, Modal, Row, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, call, type Schemas } from '../../../api/client';
import { useSession } from '../../../app/session';
import { useAction } from '../../../components/useSubmit';
import { localUnit, useI18n } from '../../../i18n';
import { emptyTree, GroupEditor, loadFields, useMeasureLabel, useValueName, type Fields, type Group } from './conditions';

type Result = Schemas['AnalysisQueryResult'];
type Saved = Schemas['AnalysisSavedQuery'];
const PAGE = 20;

/** 综合查询: the condition editor, the count and a page of the customers, saved queries (shared within a unit), and locking a target group. */
export function QueryPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { can } = useSession();
  const navigate = useNavigate();
  const action = useAction();
  const [fields, setFields] = useState<Fields>();
  const [tree, setTree] = useState<Group>(emptyTree());
  const [result, setResult] = useState<Result>();
  const [page, setPage] = useState(1);
  const [running, setRunning] = useState(false);
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [saved, setSaved] = useState<Saved[]>([]);
  const [current, setCurrent] = useState<Saved>();
  const [saving, setSaving] = useState<'save' | 'lock'>();
  const [form] = Form.useForm<{ name: string; shared?: boolean; frozen?: boolean }>();
  const measureLabel = useMeasureLabel();
  const valueName = useValueName();

  const reloadSaved = useCallback(() => call(api.GET('/api/analysis/queries')).then(setSaved), []);
  useEffect(() => {
    void loadFields().then(setFields);
    void reloadSaved();
  }, [reloadSaved]);

  const run = async (p = 1) => {
    setRunning(true);
    setProblems([]);
    try {
      setResult(await call(api.POST('/api/analysis/query', { body: { tree: tree as unknown as Record<string, unknown>, offset: (p - 1) * PAGE, limit: PAGE } })));
      setPage(p);
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) setProblems(e.fieldErrors);
      else message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  const submitSave = async () => {
    const v = await form.validateFields();
    const body = tree as unknown as Record<string, unknown>;
    const ok = await action(async () => {
      if (saving === 'lock') {
        const seg = await call(api.POST('/api/analysis/segments', { body: { name: v.name, tree: body, mode: v.frozen ? 'frozen' : 'live' } }));
        navigate(`/analysis/segments/${seg.id}`);
      } else if (current?.mine && current.name === v.name) {
        setCurrent(await call(api.PATCH('/api/analysis/queries/{id}', { params: { path: { id: current.id } }, body: { version: current.version, tree: body, shared: v.shared ?? false } })));
      } else setCurrent(await call(api.POST('/api/analysis/queries', { body: { name: v.name, tree: body, shared: v.shared ?? false } })));
    }, { success: saving === 'lock' ? t('seg.created') : t('aq.savedOk') });
    if (ok) {
      setSaving(undefined);
      void reloadSaved();
    }
  };

  const open = (q: Saved) => {
    setCurrent(q);
    setTree(q.tree as unknown as Group);
    setResult(undefined);
  };

  const columns = [
    { title: t('aq.col.customerNo'), dataIndex: 'customerNo', width: 150 },
    { title: t('aq.col.name'), dataIndex: 'name' },
    { title: t('aq.col.kind'), dataIndex: 'kind', width: 110, render: (v: string) => valueName('kind', v) },
    { title: t('aq.col.unit'), dataIndex: 'unitName', width: 140, render: (_: string, r: Result['items'][number]) => localUnit(locale, r) },
    { title: t('aq.col.manager'), dataIndex: 'managerName', width: 100 },
    { title: t('aq.col.level'), dataIndex: 'level', width: 90, render: (v: string | null) => (v ? valueName('level', v) : t('aq.unrated')) },
    ...(result?.measures ?? []).map((m) => ({
      title: measureLabel(m),
      key: m.key,
      width: 180,
      align: 'right' as const,
      render: (_: unknown, r: Result['items'][number]) => r.measures[m.key]?.toLocaleString(undefined, { maximumFractionDigits: 2 }) ?? '—',
    })),
  ];

  return (
    <PageContainer title={t('menu.analysis.query')} content={t('aq.intro')} data-testid="aq-page">
      <Row gutter={16}>
        <Col xs={24} xl={18}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {fields && <GroupEditor group={tree} fields={fields} onChange={setTree} />}
            {problems.length > 0 && <Alert type="error" showIcon data-testid="aq-problems" message={<List size="small" dataSource={problems} renderItem={(p) => <List.Item>{p.message}</List.Item>} />} />}
            <Space>
              <Button type="primary" loading={running} disabled={!tree.conditions.length} onClick={() => void run(1)} data-testid="aq-run">
                {t('aq.run')}
              </Button>
              <Button
                disabled={!tree.conditions.length}
                onClick={() => {
                  form.setFieldsValue({ name: current?.name ?? '', shared: current?.shared ?? false });
                  setSaving('save');
                }}
                data-testid="aq-save"
              >
                {t('aq.save')}
              </Button>
              {can('analysis.query') && (
                <Button
                  disabled={!tree.conditions.length}
                  onClick={() => {
                    form.setFieldsValue({ name: current?.name ?? '', frozen: false });
                    setSaving('lock');
                  }}
                  data-testid="aq-lock"
                >
                  {t('aq.lock')}
                </Button>
              )}
              {current && <Tag>{current.name}</Tag>}
            </Space>
            {result && (
              <Card size="small" title={t('aq.total', { count: result.total.toLocaleString() })} extra={<Typography.Text type="secondary">{t('aq.latestMonth', { month: result.latestMonth })}</Typography.Text>}>
                <Table
                  rowKey="id"
                  size="small"
                  dataSource={result.items}
                  columns={columns}
                  scroll={{ x: true }}
                  pagination={{ current: page, pageSize: PAGE, total: result.total, showSizeChanger: false, onChange: (p) => void run(p) }}
                  data-testid="aq-result"
                />
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} xl={6}>
          <Card size="small" title={t('aq.saved')} extra={<Typography.Text type="secondary">{t('aq.savedHint')}</Typography.Text>}>
            <List
              size="small"
              dataSource={saved}
              renderItem={(q) => (
                <List.Item
                  actions={[
                    <a key="open" onClick={() => open(q)}>
                      {t('aq.open')}
                    </a>,
                    ...(q.mine
                      ? [
                          <a
                            key="del"
                            onClick={() =>
                              void action(() => call(api.DELETE('/api/analysis/queries/{id}', { params: { path: { id: q.id }, query: { version: q.version } } })), { success: t('aq.deleted') }).then(() => reloadSaved())
                            }
                          >
                            {t('aq.delete')}
                          </a>,
                        ]
                      : []),
                  ]}
                >
                  <List.Item.Meta title={q.name} description={`${q.ownerName} · ${localUnit(locale, q)}${q.shared ? ` · ${t('aq.shared')}` : ''}`} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      <Modal open={saving !== undefined} title={saving === 'lock' ? t('aq.lock') : t('aq.save')} onOk={() => void submitSave()} onCancel={() => setSaving(undefined)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('aq.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="aq-name" />
          </Form.Item>
          {saving === 'save' ? (
            <Form.Item name="shared" valuePropName="checked">
              <Checkbox>{t('aq.shared')}</Checkbox>
            </Form.Item>
          ) : (
            <Form.Item name="frozen" valuePropName="checked">
              <Checkbox>{t('aq.lockFrozen')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </PageContainer>
  );
}
