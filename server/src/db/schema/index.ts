export * from './platform.js';
export * from './customers.js';
export * from './integration.js';
export * from './rules.js';
export * from './services.js';
export * from './managers.js';
