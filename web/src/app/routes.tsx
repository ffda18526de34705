import { ApartmentOutlined, AuditOutlined, CloudUploadOutlined, ContactsOutlined, DatabaseOutlined, HomeOutlined, InboxOutlined, SafetyCertificateOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { CalendarOutlined, CheckSquareOutlined, DashboardOutlined, FormOutlined, ProfileOutlined, ControlOutlined, CustomerServiceOutlined, ExperimentOutlined, FieldTimeOutlined, GiftOutlined, HistoryOutlined, RiseOutlined } from '@ant-design/icons';
import { AppstoreOutlined, FunctionOutlined, FunnelPlotOutlined, SolutionOutlined } from '@ant-design/icons';
import { ScheduleOutlined, ShopOutlined } from '@ant-design/icons';
import { AimOutlined, FileSearchOutlined, NotificationOutlined } from '@ant-design/icons';
import { PieChartOutlined, TableOutlined } from '@ant-design/icons';
import { AlertOutlined, BarChartOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { ApiOutlined, CloudServerOutlined, KeyOutlined, SendOutlined } from '@ant-design/icons';
import { BellOutlined, CarryOutOutlined, DesktopOutlined, EditOutlined, FlagOutlined, IdcardOutlined, SettingOutlined, SlidersOutlined, TrophyOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import type { MessageKey } from '../i18n';
import { lazyPage } from './lazyPage';

// Every page is its own chunk, fetched when its route is first shown (the sign-in page needs none of them).
const AnalysisChurnPage = lazyPage(() => import('../pages/analysis/churn/ChurnPage'), 'ChurnPage');
const AnalysisStatisticsPage = lazyPage(() => import('../pages/analysis/statistics/StatisticsPage'), 'StatisticsPage');
const AnalysisDashboardsPage = lazyPage(() => import('../pages/analysis/dashboards/DashboardsPage'), 'DashboardsPage');
const AnalysisDashboardPage = lazyPage(() => import('../pages/analysis/dashboards/DashboardPage'), 'DashboardPage');
const AnalysisQueryPage = lazyPage(() => import('../pages/analysis/query/QueryPage'), 'QueryPage');
const AnalysisSegmentsPage = lazyPage(() => import('../pages/analysis/segments/SegmentsPage'), 'SegmentsPage');
const AnalysisSegmentPage = lazyPage(() => import('../pages/analysis/segments/SegmentPage'), 'SegmentPage');
const AnalysisCampaignsPage = lazyPage(() => import('../pages/analysis/segments/CampaignsPage'), 'CampaignsPage');
const AnalysisCampaignPage = lazyPage(() => import('../pages/analysis/segments/CampaignsPage'), 'CampaignPage');
const AnalysisIndicatorsPage = lazyPage(() => import('../pages/analysis/indicators/IndicatorsPage'), 'IndicatorsPage');
const HomePage = lazyPage(() => import('../pages/home/HomePage'), 'HomePage');
const ProfilePage = lazyPage(() => import('../pages/me/ProfilePage'), 'ProfilePage');
const OrgPage = lazyPage(() => import('../pages/org/OrgPage'), 'OrgPage');
const UsersPage = lazyPage(() => import('../pages/users/UsersPage'), 'UsersPage');
const RolesPage = lazyPage(() => import('../pages/roles/RolesPage'), 'RolesPage');
const AuditPage = lazyPage(() => import('../pages/audit/AuditPage'), 'AuditPage');
const CustomerListPage = lazyPage(() => import('../pages/customers/CustomerListPage'), 'CustomerListPage');
const CustomerPage = lazyPage(() => import('../pages/customers/CustomerPage'), 'CustomerPage');
const ImportPage = lazyPage(() => import('../pages/customers/ImportPage'), 'ImportPage');
const RulesPage = lazyPage(() => import('../pages/rules/RulesPage'), 'RulesPage');
const PreviewPage = lazyPage(() => import('../pages/rules/PreviewPage'), 'PreviewPage');
const RunsPage = lazyPage(() => import('../pages/rules/RunsPage'), 'RunsPage');
const CataloguePage = lazyPage(() => import('../pages/rules/CataloguePage'), 'CataloguePage');
const CandidatesPage = lazyPage(() => import('../pages/rules/CandidatesPage'), 'CandidatesPage');
const ApprovalsPage = lazyPage(() => import('../pages/rules/ApprovalsPage'), 'ApprovalsPage');
const RequestDeskPage = lazyPage(() => import('../pages/services/requests/RequestDeskPage'), 'RequestDeskPage');
const RequestListPage = lazyPage(() => import('../pages/services/requests/RequestListPage'), 'RequestListPage');
const RequestPage = lazyPage(() => import('../pages/services/requests/RequestPage'), 'RequestPage');
const SlaBoardPage = lazyPage(() => import('../pages/services/sla/BoardPage'), 'BoardPage');
const SlaPoliciesPage = lazyPage(() => import('../pages/services/sla/PoliciesPage'), 'PoliciesPage');
const HolidaysPage = lazyPage(() => import('../pages/services/sla/HolidaysPage'), 'HolidaysPage');
const SolutionPipelinePage = lazyPage(() => import('../pages/services/solutions/PipelinePage'), 'PipelinePage');
const SolutionListPage = lazyPage(() => import('../pages/services/solutions/SolutionListPage'), 'SolutionListPage');
const SolutionCataloguePage = lazyPage(() => import('../pages/services/solutions/SolutionCataloguePage'), 'SolutionCataloguePage');
const AppointmentCalendarPage = lazyPage(() => import('../pages/services/appointments/CalendarPage'), 'CalendarPage');
const AppointmentResourcesPage = lazyPage(() => import('../pages/services/appointments/ResourcesPage'), 'ResourcesPage');
const NoticeListPage = lazyPage(() => import('../pages/services/notices/NoticeListPage'), 'NoticeListPage');
const NoticePage = lazyPage(() => import('../pages/services/notices/NoticePage'), 'NoticePage');
const PartnersPage = lazyPage(() => import('../pages/services/partners/PartnersPage'), 'PartnersPage');
const PartnerPage = lazyPage(() => import('../pages/services/partners/PartnerPage'), 'PartnerPage');
const ManagersWorkbenchPage = lazyPage(() => import('../pages/managers/workbench/WorkbenchPage'), 'WorkbenchPage');
const ManagersTeamPage = lazyPage(() => import('../pages/managers/workbench/TeamPage'), 'TeamPage');
const ManagersManagerListPage = lazyPage(() => import('../pages/managers/profiles/ManagerListPage'), 'ManagerListPage');
const ManagersManagerPage = lazyPage(() => import('../pages/managers/profiles/ManagerPage'), 'ManagerPage');
const ManagersPlanListPage = lazyPage(() => import('../pages/managers/plans/PlanListPage'), 'PlanListPage');
const ManagersPlanPage = lazyPage(() => import('../pages/managers/plans/PlanPage'), 'PlanPage');
const ManagersLogPage = lazyPage(() => import('../pages/managers/plans/LogPage'), 'LogPage');
const ManagersRemindersPage = lazyPage(() => import('../pages/managers/reminders/RemindersPage'), 'RemindersPage');
const ManagersReminderSettingsPage = lazyPage(() => import('../pages/managers/reminders/ReminderSettingsPage'), 'ReminderSettingsPage');
const ManagersTaskListPage = lazyPage(() => import('../pages/managers/tasks/TaskListPage'), 'TaskListPage');
const ManagersTaskPage = lazyPage(() => import('../pages/managers/tasks/TaskPage'), 'TaskPage');
const ManagersScorecardListPage = lazyPage(() => import('../pages/managers/scorecards/ScorecardListPage'), 'ScorecardListPage');
const ManagersScorecardPage = lazyPage(() => import('../pages/managers/scorecards/ScorecardPage'), 'ScorecardPage');
const ManagersScorecardWeightsPage = lazyPage(() => import('../pages/managers/scorecards/ScorecardWeightsPage'), 'ScorecardWeightsPage');
const SystemMonitorPage = lazyPage(() => import('../pages/system/monitor/MonitorPage'), 'MonitorPage');
const SystemBackupsPage = lazyPage(() => import('../pages/system/backups/BackupsPage'), 'BackupsPage');
const AboutPage = lazyPage(() => import('../pages/system/about/AboutPage'), 'AboutPage');
const SystemClientsPage = lazyPage(() => import('../pages/system/clients/ClientsPage'), 'ClientsPage');
const SystemEventsPage = lazyPage(() => import('../pages/system/events/EventsPage'), 'EventsPage');
const SystemTmfPage = lazyPage(() => import('../pages/system/tmf/TmfPage'), 'TmfPage');

/** One entry per page of the shell: the menu and the router are both built from this list. */
export interface AppRoute {
  path: string;
  /** Stable id for tests: `menu-<id>`. */
  id: string;
  label: MessageKey;
  icon: ReactNode;
  /** The permission the page needs (any of several, given a list); the guard refuses the route without it (403). */
  permission?: string | readonly string[];
  /** Listed in the side menu (the profile is reached from the header). */
  menu: boolean;
  element: ReactNode;
  /** The menu group the entry is listed under. */
  group?: MenuGroup;
}

/** A folder of the side menu (no page of its own). */
export interface MenuGroup {
  id: string;
  label: MessageKey;
  icon: ReactNode;
}

const customersGroup: MenuGroup = { id: 'customers', label: 'menu.customers', icon: <ContactsOutlined /> };
const rulesGroup: MenuGroup = { id: 'rules', label: 'menu.rules', icon: <ControlOutlined /> };
/** 服务功能: each sub-area (requests, SLA, appointments, solutions, …) lists its pages under it. */
export const servicesGroup: MenuGroup = { id: 'services', label: 'menu.services', icon: <CustomerServiceOutlined /> };
/** 客户经理管理: the workbench, profiles, plans and logs, reminders, tasks and scorecards. */
export const managersGroup: MenuGroup = { id: 'managers', label: 'menu.managers', icon: <UserSwitchOutlined /> };

/** 系统运维与接口: monitoring, backups and versions, API clients, event subscriptions, the open APIs. */
/** 数据分析 (§6, §9): indicators, statistics, query and target groups, dashboards, churn warnings. */
export const analysisGroup: MenuGroup = { id: 'analysis', label: 'menu.analysis', icon: <BarChartOutlined /> };

export const systemGroup: MenuGroup = { id: 'system', label: 'menu.system', icon: <CloudServerOutlined /> };

export const appRoutes: AppRoute[] = [
  { path: '/', id: 'home', label: 'menu.home', icon: <HomeOutlined />, menu: true, element: <HomePage /> },
  // 客户档案: the two archives are one page component with the archive fixed (key: fresh state).
  {
    path: '/customers/in-network',
    id: 'customers-in-network',
    label: 'menu.customers.inNetwork',
    icon: <DatabaseOutlined />,
    permission: 'customers.read',
    menu: true,
    group: customersGroup,
    element: <CustomerListPage key="in_network" archive="in_network" />,
  },
  {
    path: '/customers/retained',
    id: 'customers-retained',
    label: 'menu.customers.retained',
    icon: <InboxOutlined />,
    permission: 'customers.read',
    menu: true,
    group: customersGroup,
    element: <CustomerListPage key="retained" archive="retained" />,
  },
  {
    path: '/customers/import',
    id: 'customers-import',
    label: 'menu.customers.import',
    icon: <CloudUploadOutlined />,
    permission: 'customers.import',
    menu: true,
    group: customersGroup,
    element: <ImportPage />,
  },
  { path: '/customers/:id', id: 'customer', label: 'menu.customers.view', icon: <ContactsOutlined />, permission: 'customers.read', menu: false, element: <CustomerPage /> },
  // 服务规则: rule sets, preview, runs, candidates, approvals, the redemption catalogue.
  { path: '/rules', id: 'rules-home', label: 'menu.rules.config', icon: <ControlOutlined />, permission: 'rules.read', menu: false, element: <Navigate to="/rules/config" replace /> },
  { path: '/rules/config', id: 'rules-config', label: 'menu.rules.config', icon: <ControlOutlined />, permission: 'rules.read', menu: true, group: rulesGroup, element: <RulesPage /> },
  { path: '/rules/preview', id: 'rules-preview', label: 'menu.rules.preview', icon: <ExperimentOutlined />, permission: 'rules.edit', menu: true, group: rulesGroup, element: <PreviewPage /> },
  { path: '/rules/runs', id: 'rules-runs', label: 'menu.rules.runs', icon: <HistoryOutlined />, permission: 'rules.read', menu: true, group: rulesGroup, element: <RunsPage /> },
  { path: '/rules/candidates', id: 'rules-candidates', label: 'menu.rules.candidates', icon: <RiseOutlined />, permission: 'candidates.decide', menu: true, group: rulesGroup, element: <CandidatesPage /> },
  { path: '/rules/approvals', id: 'rules-approvals', label: 'menu.rules.approvals', icon: <CheckSquareOutlined />, permission: 'discounts.approve', menu: true, group: rulesGroup, element: <ApprovalsPage /> },
  { path: '/rules/catalogue', id: 'rules-catalogue', label: 'menu.rules.catalogue', icon: <GiftOutlined />, permission: 'points.catalogue', menu: true, group: rulesGroup, element: <CataloguePage /> },
  // 工单: the request desk, the lists, one request, the SLA board
  { path: '/services/desk', id: 'services-desk', label: 'menu.services.desk', icon: <FormOutlined />, permission: 'services.handle', menu: true, group: servicesGroup, element: <RequestDeskPage /> },
  { path: '/services/requests', id: 'services-requests', label: 'menu.services.requests', icon: <ProfileOutlined />, permission: 'services.read', menu: true, group: servicesGroup, element: <RequestListPage /> },
  { path: '/services/requests/:id', id: 'services-request', label: 'menu.services.request', icon: <ProfileOutlined />, permission: 'services.read', menu: false, element: <RequestPage /> },
  { path: '/services/board', id: 'services-board', label: 'menu.services.board', icon: <DashboardOutlined />, permission: 'services.read', menu: true, group: servicesGroup, element: <SlaBoardPage /> },
  // 服务时限: the SLA policies and the holiday calendar (edited with services.sla, read with services.read)
  { path: '/services/sla/policies', id: 'services-sla-policies', label: 'menu.services.slaPolicies', icon: <FieldTimeOutlined />, permission: 'services.read', menu: true, group: servicesGroup, element: <SlaPoliciesPage /> },
  { path: '/services/sla/holidays', id: 'services-sla-holidays', label: 'menu.services.holidays', icon: <CalendarOutlined />, permission: 'services.read', menu: true, group: servicesGroup, element: <HolidaysPage /> },
  // 解决方案: the pipeline, the solutions (drafted with solutions.edit) and the catalogue (kept with solutions.catalogue)
  { path: '/services/solutions', id: 'services-solutions', label: 'menu.services.solutionList', icon: <SolutionOutlined />, permission: 'customers.read', menu: true, group: servicesGroup, element: <SolutionListPage /> },
  { path: '/services/solutions/pipeline', id: 'services-solution-pipeline', label: 'menu.services.solutionPipeline', icon: <FunnelPlotOutlined />, permission: 'customers.read', menu: true, group: servicesGroup, element: <SolutionPipelinePage /> },
  { path: '/services/solutions/catalogue', id: 'services-solution-catalogue', label: 'menu.services.solutionCatalogue', icon: <AppstoreOutlined />, permission: 'solutions.catalogue', menu: true, group: servicesGroup, element: <SolutionCataloguePage /> },
  // 预约服务: the calendar of a resource's slots and bookings; the resources and their slots (heads)
  { path: '/services/appointments', id: 'services-appointments', label: 'menu.services.appointments', icon: <ScheduleOutlined />, permission: 'appointments.book', menu: true, group: servicesGroup, element: <AppointmentCalendarPage /> },
  { path: '/services/appointments/resources', id: 'services-appointment-resources', label: 'menu.services.appointmentResources', icon: <ShopOutlined />, permission: 'appointments.manage', menu: true, group: servicesGroup, element: <AppointmentResourcesPage /> },
  // 割接/停机通知: the notices (planned with notices.manage, approved with notices.approve) and one notice with its affected customers
  { path: '/services/notices', id: 'services-notices', label: 'menu.services.notices', icon: <NotificationOutlined />, permission: 'notices.read', menu: true, group: servicesGroup, element: <NoticeListPage /> },
  { path: '/services/notices/:id', id: 'services-notice', label: 'menu.services.notice', icon: <NotificationOutlined />, permission: 'notices.read', menu: false, element: <NoticePage /> },
  // 跨行业合作伙伴: the partners with the benefits they may confirm, and one partner with its API keys (partners.manage)
  { path: '/services/partners', id: 'services-partners', label: 'menu.services.partners', icon: <ApiOutlined />, permission: 'partners.manage', menu: true, group: servicesGroup, element: <PartnersPage /> },
  { path: '/services/partners/:id', id: 'services-partner', label: 'menu.services.partner', icon: <ApiOutlined />, permission: 'partners.manage', menu: false, element: <PartnerPage /> },
  // 客户经理管理 (DOMAIN.md §7)
  { path: '/managers/workbench', id: 'managers-workbench', label: 'menu.managers.workbench', icon: <DesktopOutlined />, permission: 'work.own', menu: true, group: managersGroup, element: <ManagersWorkbenchPage /> },
  { path: '/managers/team', id: 'managers-team', label: 'menu.managers.team', icon: <TeamOutlined />, permission: 'managers.read', menu: true, group: managersGroup, element: <ManagersTeamPage /> },
  { path: '/managers/profiles', id: 'managers-profiles', label: 'menu.managers.profiles', icon: <IdcardOutlined />, permission: 'managers.read', menu: true, group: managersGroup, element: <ManagersManagerListPage /> },
  { path: '/managers/profiles/:id', id: 'managers-profile', label: 'menu.managers.profile', icon: <IdcardOutlined />, permission: ['managers.read', 'work.own'], menu: false, element: <ManagersManagerPage /> },
  { path: '/managers/plans', id: 'managers-plans', label: 'menu.managers.plans', icon: <CarryOutOutlined />, permission: ['work.own', 'work.review'], menu: true, group: managersGroup, element: <ManagersPlanListPage /> },
  { path: '/managers/plans/:id', id: 'managers-plan', label: 'menu.managers.plan', icon: <CarryOutOutlined />, permission: ['work.own', 'work.review'], menu: false, element: <ManagersPlanPage /> },
  { path: '/managers/logs', id: 'managers-logs', label: 'menu.managers.logs', icon: <EditOutlined />, permission: ['work.own', 'work.review'], menu: true, group: managersGroup, element: <ManagersLogPage /> },
  { path: '/managers/reminders', id: 'managers-reminders', label: 'menu.managers.reminders', icon: <BellOutlined />, permission: 'work.own', menu: true, group: managersGroup, element: <ManagersRemindersPage /> },
  { path: '/managers/reminders/settings', id: 'managers-reminder-settings', label: 'menu.managers.reminderSettings', icon: <SettingOutlined />, permission: 'reminders.configure', menu: true, group: managersGroup, element: <ManagersReminderSettingsPage /> },
  { path: '/managers/tasks', id: 'managers-tasks', label: 'menu.managers.tasks', icon: <FlagOutlined />, permission: ['work.own', 'tasks.assign'], menu: true, group: managersGroup, element: <ManagersTaskListPage /> },
  { path: '/managers/tasks/:id', id: 'managers-task', label: 'menu.managers.task', icon: <FlagOutlined />, permission: ['work.own', 'tasks.assign'], menu: false, element: <ManagersTaskPage /> },
  { path: '/managers/scorecards', id: 'managers-scorecards', label: 'menu.managers.scorecards', icon: <TrophyOutlined />, permission: ['work.own', 'managers.read'], menu: true, group: managersGroup, element: <ManagersScorecardListPage /> },
  { path: '/managers/scorecards/:id', id: 'managers-scorecard', label: 'menu.managers.scorecard', icon: <TrophyOutlined />, permission: ['work.own', 'managers.read'], menu: false, element: <ManagersScorecardPage /> },
  { path: '/managers/scorecards/weights', id: 'managers-scorecard-weights', label: 'menu.managers.scorecardWeights', icon: <SlidersOutlined />, permission: 'scorecards.manage', menu: true, group: managersGroup, element: <ManagersScorecardWeightsPage /> },
  { path: '/analysis/statistics', id: 'analysis-statistics', label: 'menu.analysis.statistics', icon: <TableOutlined />, permission: 'analysis.read', menu: true, group: analysisGroup, element: <AnalysisStatisticsPage /> },
  { path: '/analysis/dashboards', id: 'analysis-dashboards', label: 'menu.analysis.dashboards', icon: <PieChartOutlined />, permission: 'analysis.read', menu: true, group: analysisGroup, element: <AnalysisDashboardsPage /> },
  { path: '/analysis/dashboards/:id', id: 'analysis-dashboard', label: 'menu.analysis.dashboard', icon: <PieChartOutlined />, permission: 'analysis.read', menu: false, element: <AnalysisDashboardPage /> },
  { path: '/analysis/indicators', id: 'analysis-indicators', label: 'menu.analysis.indicators', icon: <FunctionOutlined />, permission: 'analysis.read', menu: true, group: analysisGroup, element: <AnalysisIndicatorsPage /> },
  { path: '/analysis/churn', id: 'analysis-churn', label: 'menu.analysis.churn', icon: <AlertOutlined />, permission: 'analysis.read', menu: true, group: analysisGroup, element: <AnalysisChurnPage /> },
  { path: '/analysis/query', id: 'analysis-query', label: 'menu.analysis.query', icon: <FileSearchOutlined />, permission: 'analysis.query', menu: true, group: analysisGroup, element: <AnalysisQueryPage /> },
  { path: '/analysis/segments', id: 'analysis-segments', label: 'menu.analysis.segments', icon: <AimOutlined />, permission: 'analysis.query', menu: true, group: analysisGroup, element: <AnalysisSegmentsPage /> },
  { path: '/analysis/segments/:id', id: 'analysis-segment', label: 'menu.analysis.segment', icon: <AimOutlined />, permission: 'analysis.query', menu: false, element: <AnalysisSegmentPage /> },
  { path: '/analysis/campaigns', id: 'analysis-campaigns', label: 'menu.analysis.campaigns', icon: <NotificationOutlined />, permission: 'analysis.campaigns', menu: true, group: analysisGroup, element: <AnalysisCampaignsPage /> },
  { path: '/analysis/campaigns/:id', id: 'analysis-campaign', label: 'menu.analysis.campaign', icon: <NotificationOutlined />, permission: 'analysis.campaigns', menu: false, element: <AnalysisCampaignPage /> },
  { path: '/org', id: 'org', label: 'menu.org', icon: <ApartmentOutlined />, permission: 'org.read', menu: true, element: <OrgPage /> },
  { path: '/users', id: 'users', label: 'menu.users', icon: <TeamOutlined />, permission: 'users.read', menu: true, element: <UsersPage /> },
  { path: '/roles', id: 'roles', label: 'menu.roles', icon: <SafetyCertificateOutlined />, permission: 'roles.read', menu: true, element: <RolesPage /> },
  { path: '/audit', id: 'audit', label: 'menu.audit', icon: <AuditOutlined />, permission: 'audit.read', menu: true, element: <AuditPage /> },
  { path: '/system/monitor', id: 'system-monitor', label: 'menu.system.monitor', icon: <DashboardOutlined />, permission: 'system.monitor', menu: true, group: systemGroup, element: <SystemMonitorPage /> },
  { path: '/system/backups', id: 'system-backups', label: 'menu.system.backups', icon: <CloudUploadOutlined />, permission: 'system.monitor', menu: true, group: systemGroup, element: <SystemBackupsPage /> },
  { path: '/system/clients', id: 'system-clients', label: 'menu.system.clients', icon: <KeyOutlined />, permission: 'integrations.manage', menu: true, group: systemGroup, element: <SystemClientsPage /> },
  { path: '/system/events', id: 'system-events', label: 'menu.system.events', icon: <SendOutlined />, permission: 'integrations.manage', menu: true, group: systemGroup, element: <SystemEventsPage /> },
  { path: '/system/tmf', id: 'system-tmf', label: 'menu.system.tmf', icon: <ApiOutlined />, permission: 'integrations.manage', menu: true, group: systemGroup, element: <SystemTmfPage /> },
  { path: '/me', id: 'me', label: 'menu.me', icon: <UserOutlined />, menu: true, element: <ProfilePage /> },
  { path: '/about', id: 'about', label: 'menu.about', icon: <InfoCircleOutlined />, menu: false, element: <AboutPage /> },
];
