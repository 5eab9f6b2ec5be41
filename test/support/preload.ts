/**
 * Jest `setupFiles` preload (both projects). Nest's CommonJS add-ons (nestjs-pino's CJS build,
 * pino-http's consumers, @nestjs/* packages that `require('@nestjs/common')`) load the ESM-only
 * @nestjs/common and @nestjs/core through Node 24's `require(esm)`. When the first `require` of
 * them happens while Jest is still evaluating their ESM graph, Node reports "require() in a cycle".
 * Evaluating both packages here first, before any test module, leaves them fully loaded.
 */
import '@nestjs/common';
import '@nestjs/core';
