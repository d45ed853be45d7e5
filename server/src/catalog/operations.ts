/**
 * The Partner Center operations Partner Center Advisor knows about, as data.
 *
 * Source of truth: shared/partner-center-api.md (Microsoft's Partner Center developer docs, the .NET and
 * Java SDKs, the PartnerCenter PowerShell module). Detection, messages, hovers, doc links, quick fixes,
 * SARIF rule metadata and the README's rule table all read this file; nothing else spells an operation.
 *
 * SDK chains are written once for the .NET and Java SDKs in a normalised form (see `normaliseStep` in
 * engine/sdk.ts): member names lower-cased, Java getters lose `get`, .NET methods lose `Async`, indexers
 * `Customers[x]` become `byid`. Both SDKs share the same shape (`Customers.ById(c)` ~ `getCustomers().byId(c)`).
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD' | 'OPTIONS';

export type ThrottledSlug =
  | 'list-customer-subscriptions'
  | 'get-subscription'
  | 'list-customer-orders'
  | 'get-order'
  | 'get-order-provisioning-status'
  | 'update-subscription'
  | 'list-subscription-addons'
  | 'list-azure-entitlements'
  | 'get-subscription-registration-status'
  | 'list-customer-transfers'
  | 'get-product-upgrade-status'
  | 'list-trial-conversions';

export type AgreementSlug = 'get-customer-agreements' | 'get-agreement-metadata' | 'create-customer-agreement';

export type OperationSlug = ThrottledSlug | AgreementSlug;

export interface Localized {
  en: string;
  fr: string;
}

/** A PowerShell cmdlet of the PartnerCenter module, with the parameters that decide the operation. */
export interface CmdletIdiom {
  name: string;
  /** The operation applies only when all of these parameters are given. */
  with?: string[];
  /** The operation applies only when none of these parameters are given. */
  without?: string[];
}

/** What a call must carry so that the service answers Microsoft Customer Agreement records. */
export interface AgreementRequirement {
  /** A query parameter that must be present (REST). */
  query?: string;
  /** A body property that must be present (REST). */
  bodyKey?: string;
  /** The value the quick fix inserts. */
  value: string;
}

export interface Operation {
  slug: OperationSlug;
  name: Localized;
  method: HttpMethod;
  /** Path template; `{name}` is one path segment. Matched case-insensitively. */
  path: string;
  /** learn.microsoft.com/partner-center/developer/<doc> (may carry a #fragment). */
  doc: string;
  /** Note about the documentation, for the hover (e.g. a page that documents a sibling path). */
  docNote?: Localized;
  throttled: boolean;
  /** Normalised SDK chains (.NET and Java). The chain must end with the last step, invoked. */
  sdk?: string[];
  cmdlets?: CmdletIdiom[];
  /** Activity log resource type that records changes of this resource (for the Activity Log fix). */
  resourceType?: 'subscription' | 'order' | 'transfer' | 'customer';
  /** For agreement operations: what must be given. */
  agreement?: AgreementRequirement;
}

const SUB = '/v1/customers/{customer-id}/subscriptions/{subscription-id}';

export const OPERATIONS: readonly Operation[] = [
  {
    slug: 'list-customer-subscriptions',
    name: { en: "Get all of a customer's subscriptions", fr: 'Obtenir tous les abonnements d’un client' },
    method: 'GET',
    path: '/v1/customers/{customer-id}/subscriptions',
    doc: 'get-all-of-a-customer-s-subscriptions',
    throttled: true,
    sdk: [
      'customers.byid.subscriptions.get',
      'customers.byid.subscriptions.byorder.get',
      'customers.byid.subscriptions.bypartner.get',
    ],
    cmdlets: [{ name: 'Get-PartnerCustomerSubscription', without: ['SubscriptionId'] }],
    resourceType: 'subscription',
  },
  {
    slug: 'get-subscription',
    name: { en: 'Get a subscription by ID', fr: 'Obtenir un abonnement par ID' },
    method: 'GET',
    path: SUB,
    doc: 'get-a-subscription-by-id',
    throttled: true,
    sdk: ['customers.byid.subscriptions.byid.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerSubscription', with: ['SubscriptionId'] }],
    resourceType: 'subscription',
  },
  {
    slug: 'list-customer-orders',
    name: { en: "Get all of a customer's orders", fr: 'Obtenir toutes les commandes d’un client' },
    method: 'GET',
    path: '/v1/customers/{customer-id}/orders',
    doc: 'get-all-of-a-customer-s-orders',
    throttled: true,
    sdk: ['customers.byid.orders.get', 'customers.byid.orders.bybillingcycletype.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerOrder', without: ['OrderId'] }],
    resourceType: 'order',
  },
  {
    slug: 'get-order',
    name: { en: 'Get an order by ID', fr: 'Obtenir une commande par ID' },
    method: 'GET',
    path: '/v1/customers/{customer-id}/orders/{order-id}',
    doc: 'get-an-order-by-id',
    throttled: true,
    sdk: ['customers.byid.orders.byid.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerOrder', with: ['OrderId'] }],
    resourceType: 'order',
  },
  {
    slug: 'get-order-provisioning-status',
    name: {
      en: 'Get the provisioning status of an order',
      fr: 'Obtenir l’état de provisionnement d’une commande',
    },
    method: 'GET',
    path: '/v1/customers/{customer-id}/orders/{order-id}/provisioningstatus',
    doc: 'get-subscription-provisioning-status',
    docNote: {
      en: 'That page documents the subscription-level provisioning status; no page documents the orders path.',
      fr: 'Cette page documente l’état de provisionnement d’un abonnement ; aucune page ne documente le chemin des commandes.',
    },
    throttled: true,
    sdk: ['customers.byid.orders.byid.provisioningstatus.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerOrderProvisioningStatus' }],
    resourceType: 'order',
  },
  {
    slug: 'update-subscription',
    name: { en: 'Update a subscription (PATCH)', fr: 'Mettre à jour un abonnement (PATCH)' },
    method: 'PATCH',
    path: SUB,
    doc: 'manage-orders#manage-a-subscription',
    throttled: true,
    sdk: ['customers.byid.subscriptions.byid.patch'],
    cmdlets: [{ name: 'Set-PartnerCustomerSubscription' }],
    resourceType: 'subscription',
  },
  {
    slug: 'list-subscription-addons',
    name: { en: 'Get a list of add-ons for a subscription', fr: 'Obtenir la liste des extensions d’un abonnement' },
    method: 'GET',
    path: `${SUB}/addons`,
    doc: 'get-a-list-of-add-ons-for-a-subscription',
    throttled: true,
    sdk: ['customers.byid.subscriptions.byid.addons.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerSubscriptionAddOn' }],
    resourceType: 'subscription',
  },
  {
    slug: 'list-azure-entitlements',
    name: {
      en: 'Get a list of Azure entitlements for a subscription',
      fr: 'Obtenir la liste des droits Azure d’un abonnement',
    },
    method: 'GET',
    path: `${SUB}/azureEntitlements`,
    doc: 'get-a-list-of-azure-entitlements-for-subscription',
    throttled: true,
    sdk: [
      'customers.byid.subscriptions.byid.azureentitlements.get',
      'customers.byid.subscriptions.byid.azureplansubscriptionentitlements',
    ],
    cmdlets: [{ name: 'Get-PartnerCustomerAzurePlanEntitlement' }],
    resourceType: 'subscription',
  },
  {
    slug: 'get-subscription-registration-status',
    name: { en: 'Get subscription registration status', fr: 'Obtenir l’état d’inscription d’un abonnement' },
    method: 'GET',
    path: `${SUB}/registrationstatus`,
    doc: 'get-subscription-registration-status',
    throttled: true,
    sdk: ['customers.byid.subscriptions.byid.registrationstatus.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerSubscriptionRegistrationStatus' }],
    resourceType: 'subscription',
  },
  {
    slug: 'list-customer-transfers',
    name: { en: "Get all of a customer's transfers", fr: 'Obtenir tous les transferts d’un client' },
    method: 'GET',
    path: '/v1/customers/{customer-id}/transfers',
    doc: 'get-all-of-a-customer-s-transfers',
    throttled: true,
    resourceType: 'transfer',
  },
  {
    slug: 'get-product-upgrade-status',
    name: { en: 'Get the status of a product upgrade', fr: 'Obtenir l’état de mise à niveau du produit' },
    method: 'POST',
    path: '/v1/productUpgrades/{upgrade-id}/status',
    doc: 'get-product-upgrade-status',
    throttled: true,
    sdk: ['productupgrades.byid.checkstatus'],
    cmdlets: [{ name: 'Get-PartnerProductUpgradeStatus' }],
    resourceType: 'subscription',
  },
  {
    slug: 'list-trial-conversions',
    name: {
      en: 'Get a list of trial conversion offers',
      fr: 'Obtenir la liste des offres de conversion d’essai',
    },
    method: 'GET',
    path: `${SUB}/conversions`,
    doc: 'get-a-list-of-trial-conversion-offers',
    throttled: true,
    sdk: ['customers.byid.subscriptions.byid.conversions.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerTrialConversion' }],
    resourceType: 'subscription',
  },
  // ---- Microsoft Customer Agreement: calls that must name the agreement type ----
  {
    slug: 'get-customer-agreements',
    name: {
      en: "Get confirmation of a customer's acceptance of the Microsoft Customer Agreement",
      fr: 'Obtenir la confirmation de l’acceptation du Contrat client Microsoft par un client',
    },
    method: 'GET',
    path: '/v1/customers/{customer-id}/agreements',
    doc: 'get-confirmation-of-customer-agreement',
    throttled: false,
    sdk: ['customers.byid.agreements.get'],
    cmdlets: [{ name: 'Get-PartnerCustomerAgreement', without: ['AgreementType'] }],
    agreement: { query: 'agreementType', value: 'MicrosoftCustomerAgreement' },
  },
  {
    slug: 'get-agreement-metadata',
    name: {
      en: 'Get agreement metadata for the Microsoft Customer Agreement',
      fr: 'Obtenir les métadonnées du Contrat client Microsoft',
    },
    method: 'GET',
    path: '/v1/agreements',
    doc: 'get-customer-agreement-metadata',
    throttled: false,
    sdk: ['agreementdetails.get'],
    cmdlets: [{ name: 'Get-PartnerAgreementDetail', without: ['AgreementType'] }],
    agreement: { query: 'agreementType', value: 'MicrosoftCustomerAgreement' },
  },
  {
    slug: 'create-customer-agreement',
    name: {
      en: "Confirm a customer's acceptance of the Microsoft Customer Agreement",
      fr: 'Confirmer l’acceptation du Contrat client Microsoft par un client',
    },
    method: 'POST',
    path: '/v1/customers/{customer-id}/agreements',
    doc: 'confirm-customer-consent-customer-agreement',
    throttled: false,
    cmdlets: [{ name: 'New-PartnerCustomerAgreement', without: ['AgreementType'] }],
    agreement: { bodyKey: 'type', value: 'MicrosoftCustomerAgreement' },
  },
];

/** SDK objects whose creation must set a property (the .NET `Agreement` needs `Type`). */
export interface ObjectRequirement {
  type: string;
  key: string;
  value: string;
  operation: AgreementSlug;
}

export const OBJECT_REQUIREMENTS: readonly ObjectRequirement[] = [
  { type: 'Agreement', key: 'Type', value: 'MicrosoftCustomerAgreement', operation: 'create-customer-agreement' },
];

export const PARTNER_CENTER_HOST = 'api.partnercenter.microsoft.com';

export const DOCS_BASE = 'https://learn.microsoft.com/partner-center/developer/';

export const GUIDANCE_DOC = 'api-throttling-guidance';
export const ACTIVITY_LOG_DOC = 'get-a-record-of-partner-center-activity-by-user';
export const AGREEMENT_DOCS = [
  'get-confirmation-of-customer-agreement',
  'confirm-customer-consent-customer-agreement',
  'get-customer-agreement-metadata',
];

export function docUrl(doc: string): string {
  return DOCS_BASE + doc;
}

const BY_SLUG = new Map<string, Operation>(OPERATIONS.map((o) => [o.slug, o]));

export function operation(slug: string): Operation | undefined {
  return BY_SLUG.get(slug);
}

export const THROTTLED: readonly Operation[] = OPERATIONS.filter((o) => o.throttled);
