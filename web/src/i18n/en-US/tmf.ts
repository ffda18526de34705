import type { tmf as zh } from '../zh-CN/tmf';

/** TM Forum Open APIs. */
export const tmf: Record<keyof typeof zh, string> = {
  'menu.system.tmf': 'Open APIs',
  'tmf.intro': 'The system serves these TM Forum Open APIs (v4) to the operator’s other systems. A machine client (OAuth 2.0 client credentials) needs the API’s scope; a signed-in user calls them with their own permissions and data scope. Contact phones and other personal data are shown in clear only to clients holding the personal data scope.',
  'tmf.col.api': 'API',
  'tmf.col.basePath': 'Base path',
  'tmf.col.resources': 'Resources',
  'tmf.col.scopes': 'Scopes (read / write)',
  'tmf.col.backedBy': 'Backed by',
  'tmf.api.tmf629': 'TMF629 Customer Management',
  'tmf.api.tmf632': 'TMF632 Party Management',
  'tmf.api.tmf621': 'TMF621 Trouble Ticket',
  'tmf.api.tmf658': 'TMF658 Loyalty Management',
  'tmf.backed.tmf629': 'Key accounts (level, credit grade, points, account manager)',
  'tmf.backed.tmf632': 'Group customers (organizations) and persons (individuals)',
  'tmf.backed.tmf621': 'Service requests and their flow',
  'tmf.backed.tmf658': 'Points accounts and their ledger',
  'tmf.docs': 'API documentation (OpenAPI)',
  'tmf.openapi': 'OpenAPI document',
  'tmf.guide': 'The mapping and call examples are in the project’s docs/tmf-api.md',
};
