import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../../platform/deps.js';

export const taskRoutes: FastifyPluginAsyncZod<Deps> = async () => {};
