import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { ProLayout } from '@ant-design/pro-components';
import { App as AntApp, Button, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, call, type Locale } from '../api/client';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotificationBell } from '../components/NotificationBell';
import { localUnit, useI18n } from '../i18n';
import { appRoutes } from './routes';
import { useSession } from './session';

function Logo() {
  return (
    <svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true">
      <rect width="28" height="28" rx="6" fill="#1677ff" />
      <path d="M7 20V8h3v5l5-5h4l-6 6 6 6h-4l-5-5v5z" fill="#fff" />
    </svg>
  );
}

/** The ProLayout frame: menu from the user's permissions, header with unit, language and sign-out. */
export function Shell() {
  const { me, can, logout, setMe, refresh } = useSession();
  const { t, locale } = useI18n();
  const { message } = AntApp.useApp();
  const location = useLocation();
  // on a phone the menu is a drawer over the page: it folds away once an entry is chosen (undefined: ProLayout decides)
  const [collapsed, setCollapsed] = useState<boolean | undefined>(undefined);
  const foldOnPhone = () => {
    if (window.matchMedia('(max-width: 767px)').matches) setCollapsed(true);
  };
  const navigate = useNavigate();
  if (!me) return null;

  // Entries in route order; an entry with a group lands in that folder (created at its first entry).
  type MenuItem = { path: string; name: string; icon: ReactNode; key: string; children?: MenuItem[] };
  const menu: MenuItem[] = [];
  for (const r of appRoutes.filter((r) => r.menu && (!r.permission || can(r.permission)))) {
    const item: MenuItem = { path: r.path, name: t(r.label), icon: r.icon, key: r.id };
    if (!r.group) {
      menu.push(item);
      continue;
    }
    const groupPath = `/${r.group.id}`;
    let folder = menu.find((m) => m.key === r.group!.id);
    if (!folder) {
      folder = { path: groupPath, name: t(r.group.label), icon: r.group.icon, key: r.group.id, children: [] };
      menu.push(folder);
    }
    folder.children!.push(item);
  }

  const saveLocale = async (next: Locale) => {
    try {
      setMe(await call(api.PATCH('/api/me', { body: { version: me.version, locale: next } })));
    } catch {
      await refresh().catch(() => undefined);
    }
  };

  return (
    <ProLayout
      title={t('app.title')}
      logo={<Logo />}
      layout="mix"
      fixSiderbar
      collapsed={collapsed}
      onCollapse={setCollapsed}
      location={{ pathname: location.pathname }}
      route={{ path: '/', routes: menu }}
      menu={{ locale: false }}
      token={{ header: { colorBgHeader: '#fff' } }}
      onMenuHeaderClick={() => navigate('/')}
      subMenuItemRender={(item, dom) => <span data-testid={`menu-group-${item.key ?? item.path}`}>{dom}</span>}
      menuItemRender={(item, dom) => {
        const id = appRoutes.find((r) => r.path === item.path)?.id ?? item.path;
        return (
          <Link to={item.path ?? '/'} data-testid={`menu-${id}`} onClick={foldOnPhone}>
            {dom}
          </Link>
        );
      }}
      actionsRender={() => [
        <Space key="user" size="middle" data-testid="header-user">
          <Link to="/me" data-testid="header-profile">
            <Space size={4}>
              <UserOutlined />
              <Typography.Text strong>{me.displayName}</Typography.Text>
            </Space>
          </Link>
          <Typography.Text type="secondary" data-testid="header-unit">
            {localUnit(locale, me)}
          </Typography.Text>
        </Space>,
        <NotificationBell key="bell" />,
        <LanguageSwitch key="lang" onChange={saveLocale} />,
        <Button
          key="logout"
          type="text"
          size="small"
          icon={<LogoutOutlined />}
          data-testid="logout"
          onClick={async () => {
            await logout().catch(() => undefined);
            message.success(t('header.loggedOut'));
            navigate('/login', { replace: true });
          }}
        >
          {t('header.logout')}
        </Button>,
      ]}
      footerRender={() => (
        <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center', padding: 12 }}>
          {t('app.title')} ·{' '}
          <Link to="/about" data-testid="footer-about">
            {t('menu.about')}
          </Link>
        </Typography.Text>
      )}
    >
      <Outlet />
    </ProLayout>
  );
}
