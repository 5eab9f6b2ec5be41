import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDotEnv } from './env-file.js';

describe('.env', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'circletel-env-'));
    writeFileSync(path.join(dir, '.env'), 'FROM_FILE=file\nBOTH=file\n# a comment\nQUOTED="a b"\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read into the environment, where variables already set win', () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'development', BOTH: 'environment' };
    expect(loadDotEnv(path.join(dir, '.env'), env)).toBe(path.join(dir, '.env'));
    expect(env).toEqual({ NODE_ENV: 'development', BOTH: 'environment', FROM_FILE: 'file', QUOTED: 'a b' });
  });

  it('is not read under NODE_ENV=test, nor when there is none', () => {
    const test: NodeJS.ProcessEnv = { NODE_ENV: 'test' };
    expect(loadDotEnv(path.join(dir, '.env'), test)).toBeUndefined();
    expect(test).toEqual({ NODE_ENV: 'test' });
    expect(loadDotEnv(path.join(dir, 'missing.env'), {})).toBeUndefined();
  });
});
