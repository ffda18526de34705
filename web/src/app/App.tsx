import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import enUS from 'antd/es/locale/en_US';
import type { ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { I18nProvider, useI18n } from '../i18n';
import { LoginPage } from '../pages/auth/LoginPage';
import { ForcePasswordPage } from '../pages/me/ForcePasswordPage';
import { ForbiddenPage, NotFoundPage } from '../pages/errors/ErrorPages';
import { RequireAuth, RequirePermission } from './guards';
import { appRoutes } from './routes';
import { SessionProvider } from './session';
import { Shell } from './Shell';

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
      <AntdLocale>
        <SessionProvider>
          <BrowserRouter>
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
                  <Route
                    key={r.id}
                    path={r.path}
                    element={<RequirePermission permission={r.permission}>{r.element}</RequirePermission>}
                  />
                ))}
                <Route path="/403" element={<ForbiddenPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntdLocale>
    </I18nProvider>
  );
}
