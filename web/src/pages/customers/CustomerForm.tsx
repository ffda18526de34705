import {
  ProForm,
  ProFormDatePicker,
  ProFormDependency,
  ProFormDigit,
  ProFormRadio,
  ProFormSelect,
  ProFormSwitch,
  ProFormText,
  ProFormTextArea,
} from '@ant-design/pro-components';
import { App, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { Link } from 'react-router-dom';
import { api, call, type CustomerView } from '../../api/client';
import { useSession } from '../../app/session';
import { changedFields } from '../../components/changes';
import { EntityModalForm, tid, type useEditor } from '../../components/EntityModalForm';
import { UnitTreeSelect } from '../../components/units';
import { ManagerSelect } from '../../components/ManagerSelect';
import { useI18n, type Translate } from '../../i18n';
import {
  BRANDS,
  CONTACT_CHANNELS,
  EDIT_SOURCES,
  GENDERS,
  ID_TYPES,
  INDUSTRIES,
  KINDS,
  codeLabel,
  codeOptions,
  profileValues,
  type ProfileValues,
} from './codes';

type Kind = CustomerView['kind'];

/** Client-side rules mirroring the server's, with messages from the catalogue. */
export function customerRules(t: Translate) {
  return {
    required: [{ required: true, message: t('common.required') }] as Rule[],
    customerNo: [{ pattern: /^[A-Za-z0-9-]{4,32}$/, message: t('customers.validation.customerNo') }] as Rule[],
    phone: [{ pattern: /^[0-9+\- ]{5,20}$/, message: t('customers.validation.phone') }] as Rule[],
    creditCode: [{ pattern: /^[0-9A-HJ-NPQRTUWXY]{18}$/, message: t('customers.validation.creditCode') }] as Rule[],
    idNumber: [{ pattern: /^[0-9A-Za-z]{6,30}$/, message: t('customers.validation.idNumber') }] as Rule[],
    money: [{ pattern: /^\d{1,12}(\.\d{1,2})?$/, message: t('customers.validation.money') }] as Rule[],
  };
}

/**
 * The profile fields of one kind of customer (group or individual). `prefix` nests them (the visit
 * form sends them as `updates`); `masked` shows the current masked values as placeholders, since
 * masked data is never pre-filled and is sent only when typed.
 */
export function ProfileFields({ kind, prefix, masked }: { kind: Kind; prefix?: string; masked?: Pick<CustomerView, 'contactPhone' | 'idNumber'> }) {
  const { t } = useI18n();
  const rules = customerRules(t);
  const n = (field: keyof ProfileValues) => (prefix ? [prefix, field] : field);
  const f = (field: string) => tid(`customer-form-${field}`);
  const keep = (value: string | null | undefined) => (value ? t('customers.form.keepMasked', { value }) : undefined);
  return (
    <>
      <ProFormText name={n('name')} label={t('customers.name')} rules={prefix ? [] : rules.required} fieldProps={f('name')} />
      <ProForm.Group>
        <ProFormText
          name={n('contactPhone')}
          label={t('customers.contactPhone')}
          width="sm"
          rules={rules.phone}
          fieldProps={{ ...f('contactPhone'), placeholder: keep(masked?.contactPhone) }}
        />
        <ProFormSelect name={n('contactChannel')} label={t('customers.contactChannel')} width="sm" options={codeOptions(t, 'channel', CONTACT_CHANNELS)} />
        <ProFormDatePicker name={n('joinedOn')} label={t('customers.joinedOn')} width="sm" />
      </ProForm.Group>
      <ProFormText name={n('address')} label={t('customers.address')} fieldProps={f('address')} />
      {kind === 'group' ? (
        <>
          <ProForm.Group>
            <ProFormSelect
              name={n('industry')}
              label={t('customers.industry')}
              width="md"
              showSearch
              options={codeOptions(t, 'industry', INDUSTRIES)}
              fieldProps={f('industry')}
            />
            <ProFormText name={n('creditCode')} label={t('customers.creditCode')} width="md" rules={rules.creditCode} fieldProps={f('creditCode')} />
          </ProForm.Group>
          <ProForm.Group>
            <ProFormText name={n('legalRepresentative')} label={t('customers.legalRepresentative')} width="sm" />
            <ProFormDigit name={n('employees')} label={t('customers.employees')} width="xs" min={0} fieldProps={{ precision: 0, ...f('employees') }} />
            <ProFormText name={n('registeredCapital')} label={t('customers.registeredCapital')} width="sm" rules={rules.money} />
            <ProFormText name={n('revenueBand')} label={t('customers.revenueBand')} width="sm" />
          </ProForm.Group>
          <ProFormTextArea name={n('itNeeds')} label={t('customers.itNeeds')} fieldProps={{ rows: 2 }} />
        </>
      ) : (
        <>
          <ProForm.Group>
            <ProFormSelect name={n('brand')} label={t('customers.brand')} width="sm" options={codeOptions(t, 'brand', BRANDS)} fieldProps={f('brand')} />
            <ProFormSelect name={n('gender')} label={t('customers.gender')} width="xs" options={codeOptions(t, 'gender', GENDERS)} />
            <ProFormDatePicker name={n('birthday')} label={t('customers.birthday')} width="sm" />
          </ProForm.Group>
          <ProForm.Group>
            <ProFormSelect name={n('idType')} label={t('customers.idType')} width="sm" options={codeOptions(t, 'idType', ID_TYPES)} />
            <ProFormText
              name={n('idNumber')}
              label={t('customers.idNumber')}
              width="md"
              rules={rules.idNumber}
              fieldProps={{ ...f('idNumber'), placeholder: keep(masked?.idNumber) }}
            />
          </ProForm.Group>
          <ProForm.Group>
            <ProFormText name={n('employer')} label={t('customers.employer')} width="md" />
            <ProFormText name={n('jobTitle')} label={t('customers.jobTitle')} width="sm" />
            <ProFormSwitch name={n('realNameVerified')} label={t('customers.realNameVerified')} />
          </ProForm.Group>
        </>
      )}
      <ProFormTextArea name={n('preferences')} label={t('customers.preferences')} fieldProps={{ rows: 2 }} />
    </>
  );
}

interface CreateValues extends ProfileValues {
  customerNo: string;
  kind: Kind;
  unitId: number;
  managerId?: number;
}

/** 新建客户: the answer may flag possible duplicates, which are shown with links before anything else. */
export function CreateCustomerForm({ editor, onCreated }: { editor: ReturnType<typeof useEditor<void>>; onCreated: () => void }) {
  const { t } = useI18n();
  const { me, can } = useSession();
  const { modal } = App.useApp();
  const rules = customerRules(t);
  return (
    <EntityModalForm<CreateValues>
      open={editor.isOpen}
      testId="customer-create-form"
      width={760}
      title={t('customers.create')}
      onClose={editor.close}
      initialValues={{ kind: 'group', unitId: me?.unitId }}
      onSubmit={async ({ customerNo, kind, unitId, managerId, ...fields }) => {
        const profile = changedFields<ProfileValues>({}, fields);
        const answer = await call(api.POST('/api/customers', { body: { customerNo, kind, unitId, managerId: managerId ?? null, ...profile } as never }));
        onCreated();
        if (answer.duplicates.length > 0) {
          modal.warning({
            title: t('customers.duplicates.createdTitle'),
            width: 560,
            content: (
              <div data-testid="customer-duplicates-warning">
                <Typography.Paragraph>{t('customers.duplicates.createdText', { name: answer.customer.name })}</Typography.Paragraph>
                <ul>
                  {answer.duplicates.map((d) => (
                    <li key={d.id}>
                      <Link to={`/customers/${d.id}`}>
                        {d.customerNo} {d.name}
                      </Link>{' '}
                      · {codeLabel(t, 'archive', d.archive)} · {codeLabel(t, 'dupReason', d.reason)}
                    </li>
                  ))}
                </ul>
                <Link to={`/customers/${answer.customer.id}`}>{t('customers.openNew')}</Link>
              </div>
            ),
          });
        } else {
          modal.success({
            title: t('customers.created'),
            content: <Link to={`/customers/${answer.customer.id}`} data-testid="customer-created-link">{t('customers.openNew')}</Link>,
          });
        }
      }}
    >
      <ProForm.Group>
        <ProFormText name="customerNo" label={t('customers.customerNo')} width="sm" rules={[...rules.required, ...rules.customerNo]} fieldProps={tid('customer-form-customerNo')} />
        <ProFormRadio.Group name="kind" label={t('customers.kind')} radioType="button" options={codeOptions(t, 'kind', KINDS)} fieldProps={tid('customer-form-kind')} />
      </ProForm.Group>
      <ProForm.Group>
        <ProForm.Item name="unitId" label={t('customers.unit')} rules={rules.required}>
          <UnitTreeSelect {...tid('customer-form-unit')} style={{ width: 240 }} />
        </ProForm.Item>
        {can('customers.assign') && (
          <ProForm.Item name="managerId" label={t('customers.manager')}>
            <ManagerSelect {...tid('customer-form-manager')} style={{ width: 300 }} />
          </ProForm.Item>
        )}
      </ProForm.Group>
      <ProFormDependency name={['kind']}>{({ kind }) => <ProfileFields kind={kind as Kind} />}</ProFormDependency>
    </EntityModalForm>
  );
}

type EditValues = ProfileValues & { source: (typeof EDIT_SOURCES)[number] };

/** 编辑资料: sends only the changed fields, with the source of the information (动态管理). */
export function EditCustomerForm({ customer, open, onClose, onSaved, onConflict }: { customer: CustomerView; open: boolean; onClose: () => void; onSaved: (c: CustomerView) => void; onConflict: () => void }) {
  const { t } = useI18n();
  const initial = profileValues(customer);
  return (
    <EntityModalForm<EditValues>
      open={open}
      testId="customer-edit-form"
      width={760}
      title={`${t('customers.edit')} · ${customer.name}`}
      onClose={onClose}
      initialValues={{ ...initial, source: 'console' }}
      success={t('common.saved')}
      onConflict={onConflict}
      onSubmit={async ({ source, ...values }) => {
        const changes = changedFields<ProfileValues>(initial, values);
        if (Object.keys(changes).length === 0) return;
        onSaved(
          await call(
            api.PATCH('/api/customers/{id}', { params: { path: { id: customer.id } }, body: { version: customer.version, source, ...changes } as never }),
          ),
        );
      }}
    >
      <ProFormSelect
        name="source"
        label={t('customers.source')}
        width="md"
        allowClear={false}
        options={codeOptions(t, 'source', EDIT_SOURCES)}
        fieldProps={tid('customer-form-source')}
        extra={t('customers.form.sourceHint')}
      />
      <ProfileFields kind={customer.kind} masked={customer} />
    </EntityModalForm>
  );
}
