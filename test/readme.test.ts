import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/process.js';

/** The README works from a fresh clone: every link resolves inside the repository. */
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
  [...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-'),
  ),
);

describe('README', () => {
  it('links only to files in the repository and headings that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links.length).toBeGreaterThan(5);
    const broken = links.filter((link) =>
      link.startsWith('#') ? !anchors.has(link.slice(1)) : !existsSync(path.join(ROOT, link.split('#')[0]!)),
    );
    expect(broken).toEqual([]);
    expect(links.filter((l) => l.startsWith('..'))).toEqual([]);
  });
});
