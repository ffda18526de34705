import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';

export const workbenchRoutes: FastifyPluginAsyncZod<Deps> = async () => {};
