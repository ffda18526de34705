import { ExperimentOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Drawer, Form, Input, Row, Space, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, api, call } from '../../api/client';
import { tid } from '../../components/EntityModalForm';
import { reportError } from '../../components/useSubmit';
import { useI18n } from '../../i18n';
import { currentMonth, familyLabel, formNameOf, type Family, type RulePreview, type RuleVersion, type VersionBody } from './common';
import { ParamsFields, cleanParams } from './ParamsFields';
import { PreviewResult } from './PreviewResult';
import { MonthPicker, useMonthChoice } from './months';

interface EditorValues {
  params: Record<string, unknown>;
  effectiveFrom: Dayjs;
  note?: string;
}

interface FieldProblem {
  field: string;
  message: string;
}

/**
 * 新版本: the latest version's parameters as the starting point, the month it takes effect, a note;
 * 试算 runs the draft through the preview (nothing saved), 保存 creates the version. The server's field
 * errors land on the fields and are listed above them.
 */
export function RuleEditor({
  family,
  base,
  onSaved,
  onCancel,
  onConflict,
}: {
  family: Family;
  base: RuleVersion;
  onSaved: () => void;
  onCancel: () => void;
  onConflict: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saving, setSaving] = useState(false);
  const [previewMonth, setPreviewMonth] = useMonthChoice();
  const [preview, setPreview] = useState<{ open: boolean; loading: boolean; result?: RulePreview; error?: string }>({ open: false, loading: false });

  /** Validates on the client and returns the body parts, or null (the form shows what is wrong). */
  const collect = async () => {
    try {
      await form.validateFields();
    } catch {
      message.error(t('rules.editor.invalid'));
      return null;
    }
    const all = form.getFieldsValue(true) as EditorValues;
    return {
      params: cleanParams(family, all.params),
      effectiveFrom: all.effectiveFrom.format('YYYY-MM'),
      note: all.note?.trim() ? all.note.trim() : null,
    };
  };

  /** Field errors of a 400 onto the fields (and into the list); anything else as a message. */
  const showProblems = (e: unknown): boolean => {
    if (e instanceof ApiError && e.fieldErrors.length > 0) {
      const list = e.fieldErrors.map((f) => ({ field: f.field, message: f.message }));
      setProblems(list);
      const byName = new Map<string, { name: (string | number)[]; errors: string[] }>();
      for (const f of list) {
        const name = formNameOf(f.field, family);
        if (!name) continue;
        const key = name.join('.');
        const entry = byName.get(key) ?? { name, errors: [] };
        entry.errors.push(f.message);
        byName.set(key, entry);
      }
      form.setFields([...byName.values()].map((x) => ({ name: x.name as never, errors: x.errors })));
      message.error(e.message);
      return true;
    }
    reportError(e, { message, t, onConflict });
    return false;
  };

  const save = async () => {
    const body = await collect();
    if (!body) return;
    setSaving(true);
    setProblems([]);
    try {
      const created = await call(
        api.POST('/api/rules/versions', { body: { family, ...body, baseVersion: base.version } as VersionBody }),
      );
      message.success(t('rules.editor.saved', { version: created.version, month: created.effectiveFrom }));
      onSaved();
    } catch (e) {
      showProblems(e);
    } finally {
      setSaving(false);
    }
  };

  const runPreview = async () => {
    const body = await collect();
    if (!body) return;
    setProblems([]);
    setPreview({ open: true, loading: true });
    try {
      const result = await call(
        api.POST('/api/rules/preview', { body: { month: previewMonth.format('YYYY-MM'), drafts: { [family]: body.params } as never } }),
      );
      setPreview({ open: true, loading: false, result });
    } catch (e) {
      const fields = showProblems(e);
      setPreview({ open: !fields, loading: false, error: e instanceof ApiError ? e.message : t('error.network') });
    }
  };

  return (
    <Form<EditorValues>
      form={form}
      layout="vertical"
      initialValues={{ params: base.params as Record<string, unknown>, effectiveFrom: dayjs(currentMonth(), 'YYYY-MM'), note: '' }}
      {...tid(`rules-editor-${family}`)}
    >
      <Card
        size="small"
        title={t('rules.editor.title', { family: familyLabel(t, family), version: base.version })}
        extra={
          <Button onClick={onCancel} {...tid('rules-editor-cancel')}>
            {t('common.cancel')}
          </Button>
        }
      >
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('rules.editor.hint')} />
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('rules.editor.problems')}
            description={
              <ul style={{ margin: 0, paddingLeft: 20 }} {...tid('rules-editor-problems')}>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.message} <Typography.Text type="secondary">({p.field})</Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        )}
        <ParamsFields family={family} />
        <Row gutter={24}>
          <Col xs={24} md={8}>
            <Form.Item
              name="effectiveFrom"
              label={t('rules.effectiveFrom')}
              tooltip={t('rules.editor.effectiveHint')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <DatePicker picker="month" format="YYYY-MM" allowClear={false} style={{ width: 180 }} {...tid('rules-editor-effectiveFrom')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item name="note" label={t('rules.note')}>
              <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('rules.editor.notePlaceholder')} {...tid('rules-editor-note')} />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} {...tid('rules-editor-save')}>
            {t('rules.editor.save')}
          </Button>
          <Typography.Text type="secondary">{t('rules.editor.previewMonth')}</Typography.Text>
          <MonthPicker value={previewMonth} onChange={setPreviewMonth} testId="rules-editor-preview-month" />
          <Button icon={<ExperimentOutlined />} loading={preview.loading} onClick={() => void runPreview()} {...tid('rules-editor-preview')}>
            {t('rules.editor.preview')}
          </Button>
        </Space>
      </Card>
      <Drawer
        open={preview.open}
        width="min(1200px, 92vw)"
        title={t('rules.editor.previewTitle', { family: familyLabel(t, family), month: previewMonth.format('YYYY-MM') })}
        onClose={() => setPreview((p) => ({ ...p, open: false }))}
        destroyOnHidden
      >
        <div {...tid('rules-editor-preview-drawer')}>
        {preview.loading ? (
          <Spin style={{ display: 'block', margin: 48 }} />
        ) : preview.result ? (
          <PreviewResult preview={preview.result} />
        ) : preview.error ? (
          <Alert type="error" showIcon message={preview.error} />
        ) : null}
        </div>
      </Drawer>
    </Form>
  );
}
