/**
 * REST Client `.http` files: variables, requests separated by ###, headers and JSON bodies, as in
 * test/fixtures/http/.
 */
import { Ctx, LanguageGen, pascal, PC_HOST, plural } from './types';

export class HttpGen implements LanguageGen {
  readonly language = 'http' as const;

  fileName(ctx: Ctx): string {
    return `requests/${ctx.noun}${ctx.pick(['', '-api', '-admin', '-smoke'])}.http`;
  }

  header(ctx: Ctx): string {
    const lines = [`# ${pascal(ctx.noun)} API requests for manual testing (REST Client).`, `@host = http://localhost:${ctx.int(3000, 9000)}`, '@token = {{$dotenv API_TOKEN}}'];
    if (ctx.kind === 'partner') lines.push(`@pc = ${PC_HOST}/v1`, '@customerId = ' + ctx.rng.guid(), '@subscriptionId = ' + ctx.rng.guid(), '@pcToken = {{$dotenv PC_TOKEN}}');
    if (ctx.kind === 'lookalike') lines.push('@stripe = https://api.stripe.com/v1', '@customerId = cus_' + ctx.rng.hex(14));
    return lines.join('\n') + '\n\n';
  }

  footer(): string {
    return '';
  }

  plain(ctx: Ctx): string {
    const n = ctx.noun;
    const id = ctx.rng.hex(8);
    return ctx.pick([
      () => `### List ${plural(n)}\nGET {{host}}/api/${plural(n)}?status=${ctx.status()}&limit=${ctx.int(10, 100)}\nAuthorization: Bearer {{token}}\nAccept: application/json\n\n`,
      () => `### Create a ${n}\nPOST {{host}}/api/${plural(n)}\nAuthorization: Bearer {{token}}\nContent-Type: application/json\n\n{\n  "name": "${n} ${id}",\n  "amount": ${ctx.int(1, 5000)},\n  "status": "${ctx.status()}"\n}\n\n`,
      () => `### Update a ${n}\nPATCH {{host}}/api/${plural(n)}/${id}\nAuthorization: Bearer {{token}}\nContent-Type: application/json\n\n{ "${ctx.field()}": "${ctx.status()}" }\n\n`,
      () => `### ${pascal(ctx.other())} of a ${n}\nGET {{host}}/api/${plural(n)}/${id}/${plural(ctx.other())}\nAuthorization: Bearer {{token}}\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    return ctx.pick([
      () => `### Stripe: a customer's subscriptions (same path shape as Partner Center)\nGET {{stripe}}/customers/{{customerId}}/subscriptions\nAuthorization: Bearer {{$dotenv STRIPE_KEY}}\n\n`,
      () => `### Stripe: create an invoice item\nPOST {{stripe}}/invoiceitems\nAuthorization: Bearer {{$dotenv STRIPE_KEY}}\nContent-Type: application/x-www-form-urlencoded\n\ncustomer={{customerId}}&amount=${ctx.int(100, 9000)}&currency=usd\n\n`,
      () => `### CRM: orders of a customer\nGET https://crm.internal.contoso.com/v1/customers/{{customerId}}/orders\nAccept: application/json\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    switch (ctx.int(0, 7)) {
      case 0:
        return `### All subscriptions of a customer\n${ctx.call('list-customer-subscriptions', 'request')}GET {{pc}}/customers/{{customerId}}/subscriptions\nAuthorization: Bearer {{pcToken}}\nAccept: application/json\n\n`;
      case 1:
        return `### One subscription\n${ctx.call('get-subscription', 'request')}GET {{pc}}/customers/{{customerId}}/subscriptions/{{subscriptionId}} HTTP/1.1\nAuthorization: Bearer {{pcToken}}\n\n`;
      case 2:
        return `### Change the quantity\n${ctx.call('update-subscription', 'request')}PATCH {{pc}}/customers/{{customerId}}/subscriptions/{{subscriptionId}}\nAuthorization: Bearer {{pcToken}}\nContent-Type: application/json\n\n{ "quantity": ${ctx.int(1, 300)} }\n\n`;
      case 3:
        return `### Orders\n${ctx.call('list-customer-orders', 'request')}GET {{pc}}/customers/{{customerId}}/orders\nAuthorization: Bearer {{pcToken}}\n\n`;
      case 4:
        return `### Create an order (not throttled)\nPOST {{pc}}/customers/{{customerId}}/orders\nAuthorization: Bearer {{pcToken}}\nContent-Type: application/json\n\n{ "lineItems": [] }\n\n`;
      case 5:
        return `### Add-ons\n${ctx.call('list-subscription-addons', 'request')}GET {{pc}}/customers/{{customerId}}/subscriptions/{{subscriptionId}}/addons\nAuthorization: Bearer {{pcToken}}\n\n`;
      case 6: {
        const given = ctx.chance(0.5);
        return `### Agreements\n${ctx.call('get-customer-agreements', 'request', { typeGiven: given })}GET {{pc}}/customers/{{customerId}}/agreements${given ? '?agreementType=MicrosoftCustomerAgreement' : ''}\nAuthorization: Bearer {{pcToken}}\n\n`;
      }
      default:
        return `### Transfers\n${ctx.call('list-customer-transfers', 'request')}GET {{pc}}/customers/{{customerId}}/transfers\nAuthorization: Bearer {{pcToken}}\n\n`;
    }
  }
}
