export * from './aggregate-root.js';
export * from './business-date.js';
export * from './clock.js';
export * from './contact.js';
export * from './domain-error.js';
export * from './events.js';
export * from './money.js';
export * from './timestamp.js';
