export * from './integration-event.js';
export * from './nightly.js';
export * from './billing.js';
export * from './referrals.js';
export * from './fraud.js';
export * from './rewards.js';
