/**
 * The rules, as data: ids, default severities, titles, descriptions and message templates in English and
 * French. Messages are filled from the operation catalog (operations.ts).
 */
import { ACTIVITY_LOG_DOC, AGREEMENT_DOCS, GUIDANCE_DOC, Localized } from './operations';

export type RuleId = 'pc-throttled-endpoint' | 'pc-throttled-in-loop' | 'pc-missing-agreement-type';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Every severity, most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export interface Rule {
  id: RuleId;
  severity: Severity;
  title: Localized;
  description: Localized;
  /** Page of the rule itself (the operation's own page is used when there is one). */
  doc: string;
  /**
   * Message template. Placeholders: {operation} (name), {method}, {path}, {loop} (what iterates),
   * {requirement} (the missing parameter or property).
   */
  message: Localized;
}

export const RULES: readonly Rule[] = [
  {
    id: 'pc-throttled-endpoint',
    severity: 'warning',
    title: {
      en: 'Throttled Partner Center operation without retry handling',
      fr: 'Opération limitée de l’Espace partenaires sans gestion des nouvelles tentatives',
    },
    description: {
      en: 'Since February 2021 Partner Center throttles this operation: a burst of calls answers HTTP 429 Too Many Requests with a Retry-After header. Calls must wait Retry-After, then back off exponentially, with a bounded number of attempts.',
      fr: 'Depuis février 2021, l’Espace partenaires limite cette opération : une rafale d’appels reçoit HTTP 429 Too Many Requests avec un en-tête Retry-After. Les appels doivent attendre Retry-After, puis espacer les tentatives de façon exponentielle, en nombre limité.',
    },
    doc: GUIDANCE_DOC,
    message: {
      en: '{operation} ({method} {path}) is throttled by Partner Center: it can answer HTTP 429 with Retry-After. Retry it after Retry-After seconds, with exponential backoff.',
      fr: '{operation} ({method} {path}) est limitée par l’Espace partenaires : elle peut répondre HTTP 429 avec Retry-After. Réessayez après Retry-After secondes, avec un délai exponentiel.',
    },
  },
  {
    id: 'pc-throttled-in-loop',
    severity: 'warning',
    title: {
      en: 'Throttled Partner Center operation called once per item',
      fr: 'Opération limitée de l’Espace partenaires appelée pour chaque élément',
    },
    description: {
      en: 'Calling a throttled operation for every item of a collection is what throttling stops: N calls in a burst get HTTP 429, and a retry does not reduce N. Query the Activity Log (GET /v1/auditrecords) for what changed, then fetch only those items.',
      fr: 'Appeler une opération limitée pour chaque élément d’une collection est précisément ce que la limitation arrête : N appels en rafale reçoivent HTTP 429, et une nouvelle tentative ne réduit pas N. Interrogez le journal d’activité (GET /v1/auditrecords) pour savoir ce qui a changé, puis ne récupérez que ces éléments.',
    },
    doc: ACTIVITY_LOG_DOC,
    message: {
      en: '{operation} ({method} {path}) is throttled and is called once per item of {loop}. Query the Activity Log (GET /v1/auditrecords) for what changed instead of polling every item.',
      fr: '{operation} ({method} {path}) est limitée et est appelée pour chaque élément de {loop}. Interrogez le journal d’activité (GET /v1/auditrecords) pour savoir ce qui a changé au lieu d’interroger chaque élément.',
    },
  },
  {
    id: 'pc-missing-agreement-type',
    severity: 'warning',
    title: {
      en: 'Customer agreement call without the agreement type',
      fr: 'Appel de contrat client sans le type de contrat',
    },
    description: {
      en: 'Without the agreement type the service answers only Microsoft Cloud Agreement records (for backward compatibility). Partners who omitted it never saw their Microsoft Customer Agreement confirmations, re-submitted them, and now get HTTP 409 for the duplicates.',
      fr: 'Sans le type de contrat, le service ne renvoie que les enregistrements du Contrat Microsoft Cloud (pour compatibilité). Les partenaires qui l’omettaient ne voyaient pas leurs confirmations du Contrat client Microsoft, les renvoyaient, et reçoivent désormais HTTP 409 pour les doublons.',
    },
    doc: AGREEMENT_DOCS[0],
    message: {
      en: '{operation} without {requirement}: the service answers only Microsoft Cloud Agreement records, so partners re-submit the Microsoft Customer Agreement and get HTTP 409. Add {requirement} with the value MicrosoftCustomerAgreement.',
      fr: '{operation} sans {requirement} : le service ne renvoie que les enregistrements du Contrat Microsoft Cloud, les partenaires renvoient alors le Contrat client Microsoft et reçoivent HTTP 409. Ajoutez {requirement} avec la valeur MicrosoftCustomerAgreement.',
    },
  },
];

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function rule(id: RuleId): Rule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}

export function isRuleId(s: string): s is RuleId {
  return BY_ID.has(s);
}

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);
