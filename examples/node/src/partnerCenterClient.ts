import axios, { AxiosInstance } from 'axios';

/** Thin Partner Center client used by the customer portal. */
export class PartnerCenterClient {
  private readonly http: AxiosInstance;

  constructor(token: string) {
    this.http = axios.create({
      baseURL: 'https://api.partnercenter.microsoft.com/v1/',
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  async orders(customerId: string) {
    const { data } = await this.http.get(`customers/${customerId}/orders`);
    return data.items;
  }

  async provisioningStatus(customerIds: string[], orderId: string) {
    return Promise.all(customerIds.map((id) => this.http.get(`customers/${id}/orders/${orderId}/provisioningstatus`)));
  }

  async agreementTemplate(): Promise<string> {
    const { data } = await this.http.get('agreements?agreementType=MicrosoftCustomerAgreement');
    return data.items[0].templateId;
  }

  async placeOrder(customerId: string, order: unknown) {
    return this.http.post(`customers/${customerId}/orders`, order);
  }
}

/** Payments go through Stripe, which has the same URL shapes: not Partner Center. */
export const stripe = axios.create({ baseURL: 'https://api.stripe.com/v1' });
export const stripeSubscriptions = (customer: string) => stripe.get(`/customers/${customer}/subscriptions`);
