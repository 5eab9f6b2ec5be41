/**
 * Jest setupFiles: load the ESM-only Nest packages before any CommonJS Nest add-on (nestjs-cls,
 * @nestjs-cls/transactional…) `require`s them. On Node 24 require(esm) works, but only if the module
 * is not being loaded at that moment ("require() in a cycle"); importing them first settles that.
 */
import '@nestjs/common';
import '@nestjs/core';
