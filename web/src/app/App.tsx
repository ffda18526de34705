import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import type { ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SWRConfig } from 'swr';
import { swrConfig } from '../api/swr';
import { I18nProvider, useI18n } from '../i18n';
import { LoginPage } from '../pages/auth/LoginPage';
import { ForbiddenPage, RequireAuth, RequirePermission } from './guards';
import { lazyPage } from './lazyPage';
import { appRoutes } from './routes';
import { SessionProvider } from './session';

// The sign-in page is in the first chunk; the console's frame and pages load after it.
const Shell = lazyPage(() => import('./Shell'), 'Shell');
const ForcePasswordPage = lazyPage(() => import('../pages/me/ForcePasswordPage'), 'ForcePasswordPage');
const NotFoundPage = lazyPage(() => import('../pages/errors/ErrorPages'), 'NotFoundPage');

function AntdLocale({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SWRConfig value={swrConfig}>
        <AntdLocale>
          <SessionProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </SessionProvider>
        </AntdLocale>
      </SWRConfig>
    </I18nProvider>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/change-password"
        element={
          <RequireAuth passwordPage>
            <ForcePasswordPage />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <Shell />
          </RequireAuth>
        }
      >
        {appRoutes.map((r) => (
          <Route key={r.id} path={r.path} element={<RequirePermission permission={r.permission}>{r.element}</RequirePermission>} />
        ))}
        <Route path="/403" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
