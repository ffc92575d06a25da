#!/usr/bin/env node
// Copies the reference files the tests read (test/fixtures/manifest.json) from ../shared into
// test/fixtures, so that a clone without ../shared still runs every test, and a refresh is one command.
//   node scripts/refresh-fixtures.mjs [--from <shared dir>] [--to <fixtures dir>]
// --to exists for the test that compares a fresh copy with the committed one.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repo, 'test/fixtures');

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
const from = resolve(values.from ?? join(repo, '../shared'));
const to = resolve(values.to ?? fixtures);

/** @type {{ sets: Record<string, { from: string; files: string[] }> }} */
const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8'));

// Check every source first: a partial refresh would leave copies from two different versions.
const missing = Object.values(manifest.sets).flatMap((set) => set.files.map((file) => join(from, set.from, file)).filter((path) => !existsSync(path)));
if (missing.length > 0) {
  console.error(`refresh-fixtures: ${missing.length} source file(s) missing under ${from}:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

for (const [name, set] of Object.entries(manifest.sets)) {
  // A set's folder holds exactly its files: a file dropped from the manifest goes too.
  rmSync(join(to, name), { recursive: true, force: true });
  mkdirSync(join(to, name), { recursive: true });
  for (const file of set.files) copyFileSync(join(from, set.from, file), join(to, name, file));
  console.log(`refresh-fixtures: ${set.files.length} file(s) ${join(from, set.from)} → ${join(to, name)}`);
}
