import { describe, expect, it } from 'vitest';
import { catalogueFor, resolveLanguage } from '../../../../../renderer/src/i18n/language';

describe('UI language › choosing a catalogue', () => {
  it('maps any French tag to fr-CA and any Japanese tag to ja-JP', () => {
    expect(catalogueFor('fr')).toBe('fr-CA');
    expect(catalogueFor('fr-FR')).toBe('fr-CA');
    expect(catalogueFor('FR_be')).toBe('fr-CA');
    expect(catalogueFor('ja')).toBe('ja-JP');
    expect(catalogueFor('ja-JP')).toBe('ja-JP');
    expect(catalogueFor('en-GB')).toBe('en');
    expect(catalogueFor('de-DE')).toBeNull();
  });

  it('follows the first system language Parley has a catalogue for', () => {
    expect(resolveLanguage('system', ['de-DE', 'ja-JP', 'fr-CA'])).toBe('ja-JP');
    expect(resolveLanguage('system', ['en-US', 'fr-CA'])).toBe('en');
    expect(resolveLanguage('system', ['fr-BE'])).toBe('fr-CA');
  });

  it('falls back to English when no system language has a catalogue', () => {
    expect(resolveLanguage('system', ['de-DE', 'es'])).toBe('en');
    expect(resolveLanguage('system', [])).toBe('en');
  });

  it('lets an explicit setting override the system languages', () => {
    expect(resolveLanguage('ja-JP', ['fr-CA'])).toBe('ja-JP');
    expect(resolveLanguage('en', ['ja'])).toBe('en');
  });
});
