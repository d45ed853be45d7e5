/**
 * The `pcAdvisor.*` settings as clients send them, validated field by field. A value of the wrong type (or
 * an unknown severity, an unknown rule) is reported with the setting's full name and replaced by its
 * default; the rest of the settings still apply. Unknown keys are ignored (clients send their own, such
 * as `trace.server`).
 */
import { isRuleId, RULE_IDS } from '../catalog/rules';
import type { EngineOptions, RuleSetting } from '../engine/types';
import { DEFAULT_SETTINGS, SETTINGS_SECTION, type SeveritySetting, type Settings } from './protocol';

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ValidatedSettings {
  settings: Settings;
  /** One sentence per problem, naming the setting. */
  problems: string[];
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates raw settings (the `pcAdvisor` section's value, or undefined/null when the client has none).
 * Never throws.
 */
export function validateSettings(raw: unknown): ValidatedSettings {
  const problems: string[] = [];
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    rules: {},
    extraHosts: [...DEFAULT_SETTINGS.extraHosts],
    retryHelpers: [...DEFAULT_SETTINGS.retryHelpers],
    exclude: [...DEFAULT_SETTINGS.exclude],
  };
  if (raw === undefined || raw === null) return { settings, problems };
  const name = (key: string) => `${SETTINGS_SECTION}.${key}`;
  const bad = (key: string, value: unknown, expected: string, fallback: unknown) =>
    problems.push(`Setting ${name(key)}: ${show(value)} is not ${expected}; using the default (${show(fallback)}).`);
  if (!isPlainObject(raw)) {
    problems.push(`Settings ${SETTINGS_SECTION}: expected an object, got ${show(raw)}; using the defaults.`);
    return { settings, problems };
  }

  if (raw.enable !== undefined && raw.enable !== null) {
    if (typeof raw.enable === 'boolean') settings.enable = raw.enable;
    else bad('enable', raw.enable, 'true or false', DEFAULT_SETTINGS.enable);
  }

  if (raw.rules !== undefined && raw.rules !== null) {
    if (!isPlainObject(raw.rules)) bad('rules', raw.rules, `an object of rule ids and severities (${RULE_IDS.join(', ')})`, {});
    else {
      for (const [id, sev] of Object.entries(raw.rules)) {
        if (!isRuleId(id)) {
          problems.push(`Setting ${name(`rules.${id}`)}: unknown rule ${show(id)} (rules: ${RULE_IDS.join(', ')}); ignored.`);
          continue;
        }
        const v = typeof sev === 'string' ? sev.trim().toLowerCase() : sev;
        if (typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v)) settings.rules[id] = v as SeveritySetting;
        else problems.push(`Setting ${name(`rules.${id}`)}: ${show(sev)} is not a severity (${SEVERITIES.join(', ')}); using the rule's default.`);
      }
    }
  }

  for (const key of ['extraHosts', 'retryHelpers', 'exclude'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) {
      bad(key, v, 'a list of strings', DEFAULT_SETTINGS[key]);
      continue;
    }
    const items: string[] = [];
    v.forEach((item, i) => {
      if (typeof item === 'string') {
        if (item.trim()) items.push(item.trim());
      } else problems.push(`Setting ${name(`${key}[${i}]`)}: ${show(item)} is not a string; ignored.`);
    });
    settings[key] = items;
  }

  if (raw.maxFileSize !== undefined && raw.maxFileSize !== null) {
    const v = raw.maxFileSize;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) settings.maxFileSize = v;
    else bad('maxFileSize', v, 'a positive number of megabytes', DEFAULT_SETTINGS.maxFileSize);
  }
  return { settings, problems };
}

const MB = 1024 * 1024;

/** The engine's options for these settings. */
export function engineOptions(s: Settings, locale: string): Partial<EngineOptions> {
  const rules: Partial<Record<string, RuleSetting>> = {};
  for (const [id, sev] of Object.entries(s.rules)) if (isRuleId(id)) rules[id] = sev;
  return {
    extraHosts: s.extraHosts,
    retryHelpers: s.retryHelpers,
    rules,
    locale,
    maxFileSize: Math.floor(s.maxFileSize * MB),
  };
}
