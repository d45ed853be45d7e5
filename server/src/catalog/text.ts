/**
 * Everything the user reads, built from the catalog: diagnostic messages and hovers, in English and
 * French. Text that comes from the user's code is escaped before it goes into Markdown.
 */
import {
  ACTIVITY_LOG_DOC,
  AGREEMENT_DOCS,
  GUIDANCE_DOC,
  Localized,
  Operation,
  docUrl,
} from './operations';
import { Rule, RuleId, rule } from './rules';

export type Lang = 'en' | 'fr';

export function langOf(locale: string | undefined): Lang {
  return locale && /^fr\b/i.test(locale) ? 'fr' : 'en';
}

export function t(l: Localized, lang: Lang): string {
  return l[lang] || l.en;
}

const UI = {
  thisLoop: { en: 'this loop', fr: 'cette boucle' },
  throttled: {
    en: 'Throttled by Partner Center since February 2021: a burst of calls answers **HTTP 429 Too Many Requests** with a `Retry-After` header (seconds). Wait `Retry-After`, then retry with exponential backoff and a bounded number of attempts; reduce parallelism.',
    fr: 'Limitée par l’Espace partenaires depuis février 2021 : une rafale d’appels reçoit **HTTP 429 Too Many Requests** avec un en-tête `Retry-After` (secondes). Attendez `Retry-After`, puis réessayez avec un délai exponentiel et un nombre limité de tentatives ; réduisez le parallélisme.',
  },
  activityLog: {
    en: 'To learn what changed, query the Activity Log (`GET /v1/auditrecords`) instead of polling every resource.',
    fr: 'Pour savoir ce qui a changé, interrogez le journal d’activité (`GET /v1/auditrecords`) au lieu d’interroger chaque ressource.',
  },
  agreement: {
    en: 'Without the agreement type the service answers **Microsoft Cloud Agreement** records only (backward compatibility). Partners who omitted it never saw their Microsoft Customer Agreement confirmations, re-submitted them, and now get **HTTP 409** (`PartnerConfirmedAgreementAlreadyExists`) for duplicates. Use `MicrosoftCustomerAgreement`.',
    fr: 'Sans le type de contrat, le service ne renvoie que les enregistrements du **Contrat Microsoft Cloud** (compatibilité). Les partenaires qui l’omettaient ne voyaient pas leurs confirmations du Contrat client Microsoft, les renvoyaient, et reçoivent désormais **HTTP 409** (`PartnerConfirmedAgreementAlreadyExists`) pour les doublons. Utilisez `MicrosoftCustomerAgreement`.',
  },
  covered: { en: 'Covered by retry handling: ', fr: 'Couvert par une gestion des nouvelles tentatives : ' },
  perItem: { en: 'Called once per item of ', fr: 'Appelée pour chaque élément de ' },
  docs: { en: 'Documentation', fr: 'Documentation' },
  guidance: { en: 'Throttling guidance', fr: 'Aide sur la limitation des API' },
  activityLogLink: { en: 'Activity log', fr: 'Journal d’activité' },
  agreementLinks: {
    en: ['Get confirmation of customer agreement', 'Confirm customer consent', 'Agreement metadata'],
    fr: ['Confirmation du contrat client', 'Confirmer le consentement du client', 'Métadonnées du contrat'],
  },
  notThrottled: { en: 'Not throttled.', fr: 'Non limitée.' },
} as const;

/** Markdown-escapes text taken from user code, so that it cannot inject links, HTML or commands. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()<>#+\-.!|~&]/g, (c) => `\\${c}`);
}

/**
 * Inline code span for user text: the delimiter is one backtick longer than any run of backticks inside, so
 * the text cannot close it early (CommonMark), and nothing inside a code span is a link or HTML.
 */
/**
 * Collapses whitespace and shortens `s` to at most `max` characters, cutting after a whole token (a space,
 * a dot, a parenthesis) when there is one in the last third and marking the cut with an ellipsis.
 */
export function shorten(s: string, max: number): string {
  const clean = s.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const head = clean.slice(0, max - 1);
  let cut = -1;
  for (let i = head.length - 1; i >= Math.floor((max * 2) / 3); i--) {
    if (' .(,'.includes(head[i])) {
      cut = head[i] === ' ' ? i : i + 1;
      break;
    }
  }
  return `${(cut > 0 ? head.slice(0, cut) : head).trimEnd()}…`;
}

export function codeSpan(s: string): string {
  const clean = shorten(s, 80);
  let longest = 0;
  let run = 0;
  for (const c of clean) {
    run = c === '`' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  const ticks = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

export interface MessageArgs {
  loopLabel?: string;
  requirement?: string;
}

export function message(ruleId: RuleId, op: Operation, lang: Lang, args: MessageArgs = {}): string {
  const r: Rule = rule(ruleId);
  const loop = args.loopLabel?.trim() ? `\`${shorten(args.loopLabel, 60)}\`` : t(UI.thisLoop, lang);
  return t(r.message, lang)
    .replace(/\{operation\}/g, t(op.name, lang))
    .replace(/\{method\}/g, op.method)
    .replace(/\{path\}/g, op.path)
    .replace(/\{loop\}/g, loop)
    .replace(/\{requirement\}/g, args.requirement ?? 'agreementType');
}

/** Link for a diagnostic: the operation's own page. */
export function findingDoc(op: Operation): string {
  return docUrl(op.doc);
}

export interface HoverFacts {
  op: Operation;
  guardName?: string;
  loopLabel?: string;
  inLoop?: boolean;
}

/** Hover Markdown for a recognised call site. */
export function hoverMarkdown(f: HoverFacts, lang: Lang): string {
  const { op } = f;
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(t(op.name, lang))}** — \`${op.method} ${op.path}\``);
  lines.push('');
  if (op.throttled) {
    lines.push(t(UI.throttled, lang));
    lines.push('');
    lines.push(t(UI.activityLog, lang));
    if (f.inLoop) {
      lines.push('');
      lines.push(`${t(UI.perItem, lang)}${f.loopLabel ? codeSpan(f.loopLabel) : t(UI.thisLoop, lang)}.`);
    }
    if (f.guardName) {
      lines.push('');
      lines.push(`${t(UI.covered, lang)}${codeSpan(f.guardName)}`);
    }
  } else {
    lines.push(t(UI.notThrottled, lang));
  }
  if (op.agreement) {
    lines.push('');
    lines.push(t(UI.agreement, lang));
  }
  if (op.docNote) {
    lines.push('');
    lines.push(`_${t(op.docNote, lang)}_`);
  }
  lines.push('');
  const links = [`[${t(UI.docs, lang)}](${docUrl(op.doc)})`];
  if (op.throttled) {
    links.push(`[${t(UI.guidance, lang)}](${docUrl(GUIDANCE_DOC)})`);
    links.push(`[${t(UI.activityLogLink, lang)}](${docUrl(ACTIVITY_LOG_DOC)})`);
  }
  if (op.agreement) {
    AGREEMENT_DOCS.forEach((d, i) => {
      if (d !== op.doc) links.push(`[${UI.agreementLinks[lang][i]}](${docUrl(d)})`);
    });
  }
  lines.push(links.join(' · '));
  return lines.join('\n');
}

const SKIPPED = {
  size: {
    en: 'Partner Center Advisor skipped this file: it is larger than {limit} (setting pcAdvisor.maxFileSize).',
    fr: 'Partner Center Advisor a ignoré ce fichier : il dépasse {limit} (paramètre pcAdvisor.maxFileSize).',
  },
  binary: {
    en: 'Partner Center Advisor skipped this file: it looks binary or is not valid text.',
    fr: 'Partner Center Advisor a ignoré ce fichier : il semble binaire ou n’est pas du texte valide.',
  },
  timeout: {
    en: 'Partner Center Advisor skipped this file: parsing it took too long.',
    fr: 'Partner Center Advisor a ignoré ce fichier : son analyse syntaxique a pris trop de temps.',
  },
  nesting: {
    en: 'Partner Center Advisor skipped this file: its syntax errors nest too deeply to analyse it safely. It is analysed again once they are fixed.',
    fr: 'Partner Center Advisor a ignoré ce fichier : ses erreurs de syntaxe s’imbriquent trop profondément pour l’analyser sans risque. Il sera analysé de nouveau une fois corrigées.',
  },
  partial: {
    en: 'Partner Center Advisor analysed only part of this file: it took too long (a generated or unusual file?).',
    fr: 'Partner Center Advisor n’a analysé qu’une partie de ce fichier : cela prenait trop de temps (fichier généré ou inhabituel ?).',
  },
} as const;

export function skippedMessage(reason: keyof typeof SKIPPED, lang: Lang, limit = 0): string {
  const mb = `${(limit / (1024 * 1024)).toFixed(limit % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  return t(SKIPPED[reason], lang).replace('{limit}', mb);
}

const FIX_TITLES = {
  retry: { en: 'Add retry with backoff (honours Retry-After)', fr: 'Ajouter des nouvelles tentatives avec délai (respecte Retry-After)' },
  'retry-library': { en: 'Add retry with {library} (honours Retry-After)', fr: 'Ajouter des nouvelles tentatives avec {library} (respecte Retry-After)' },
  'activity-log': {
    en: 'Use the Activity Log: refetch only the items that changed',
    fr: 'Utiliser le journal d’activité : ne récupérer que les éléments modifiés',
  },
  'agreement-type': { en: 'Add agreementType: MicrosoftCustomerAgreement', fr: 'Ajouter agreementType : MicrosoftCustomerAgreement' },
  'suppress-line': { en: 'Ignore {rule} on this line', fr: 'Ignorer {rule} sur cette ligne' },
  'suppress-file': { en: 'Ignore {rule} in this file', fr: 'Ignorer {rule} dans ce fichier' },
  docs: { en: 'Show documentation: {operation}', fr: 'Afficher la documentation : {operation}' },
  'fix-all': { en: 'Fix all agreementType problems in this file', fr: 'Corriger tous les problèmes agreementType de ce fichier' },
} as const;

/** What each quick fix does, where it is offered and whether fix-all may apply it (the README's table). */
export const FIX_CATALOG: readonly { kind: keyof typeof FIX_TITLES; rules: string[]; safe: boolean; languages: string; does: string }[] = [
  {
    kind: 'agreement-type',
    languages: 'all (TypeScript, JavaScript, C#, Python, PowerShell, Java, Go, .http)',
    rules: ['pc-missing-agreement-type'],
    safe: true,
    does: 'Adds `agreementType=MicrosoftCustomerAgreement` to the query (after `?` or `&`, or into the params object, dict or hashtable), `type` to an agreement body, `.ByAgreementType(...)`/`.byAgreementType(...)` to a .NET/Java SDK chain, `Type = ...` to `new Agreement { }` (Java: `agreement.setType(...)`), `-AgreementType` to the cmdlet. Preferred fix.',
  },
  {
    kind: 'retry',
    languages: 'TypeScript, JavaScript, C#, Python, PowerShell, Java, Go',
    rules: ['pc-throttled-endpoint', 'pc-throttled-in-loop'],
    safe: false,
    does: 'Wraps the call in the language\'s retry helper and inserts the helper once per file: on HTTP 429 (and 503/504 for REST) it waits `Retry-After` when present, else exponential backoff with jitter, a bounded number of attempts, then rethrows.',
  },
  {
    kind: 'retry-library',
    languages: 'C# (Polly), Python (tenacity)',
    rules: ['pc-throttled-endpoint', 'pc-throttled-in-loop'],
    safe: false,
    does: 'The same retry written with the ecosystem\'s library: a Polly v8 `ResiliencePipeline` field of the class (429 as `PartnerException` `TooManyRequests` for the SDK, 429/503/504 for HttpClient; Retry-After, else exponential backoff with jitter; 5 retries) and the call wrapped in `ExecuteAsync`/`Execute`; in Python a tenacity `Retrying` (`AsyncRetrying`) helper inserted after the imports.',
  },
  {
    kind: 'activity-log',
    languages: 'TypeScript, JavaScript, C#, Python, PowerShell, Java, Go',
    rules: ['pc-throttled-in-loop'],
    safe: false,
    does: 'Before the per-item loop, one Activity Log query for the last day filtered on the resource type, in a helper inserted once: `GET /v1/auditrecords` through the client, base URL and headers the loop already uses, or the SDK and module forms (`AuditRecords.QueryAsync`/`Query` in .NET, `getAuditRecords().query` in Java, `Get-PartnerAuditRecord` in PowerShell). The loop then iterates only the customers that changed (all of them when the query fails, where the language lets the helper say so). Keeps your variables.',
  },
  {
    kind: 'suppress-line',
    languages: 'all',
    rules: ['pc-throttled-endpoint', 'pc-throttled-in-loop', 'pc-missing-agreement-type'],
    safe: false,
    does: 'Inserts `pc-advisor-disable-next-line <rule> -- <reason>` above the line, in the file\'s comment syntax.',
  },
  {
    kind: 'suppress-file',
    languages: 'all',
    rules: ['pc-throttled-endpoint', 'pc-throttled-in-loop', 'pc-missing-agreement-type'],
    safe: false,
    does: 'Inserts `pc-advisor-disable-file <rule>` at the top of the file.',
  },
  {
    kind: 'docs',
    languages: 'all',
    rules: ['pc-throttled-endpoint', 'pc-throttled-in-loop', 'pc-missing-agreement-type'],
    safe: false,
    does: 'Opens the operation\'s Microsoft Learn page.',
  },
];

export function fixTitle(
  kind: keyof typeof FIX_TITLES,
  lang: Lang,
  args: { rule?: string; library?: string; operation?: Operation } = {},
): string {
  return t(FIX_TITLES[kind], lang)
    .replace('{rule}', args.rule ?? '')
    .replace('{library}', args.library ?? '')
    .replace('{operation}', args.operation ? t(args.operation.name, lang) : '');
}
