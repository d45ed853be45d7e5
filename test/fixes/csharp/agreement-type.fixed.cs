// fix: agreement-type
using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Agreements;

namespace Contoso.Agreements
{
    public class McaConfirmation
    {
        private const string PartnerCenter = "https://api.partnercenter.microsoft.com/v1";
        private readonly IAggregatePartner _partner;
        private readonly HttpClient _http;

        public McaConfirmation(IAggregatePartner partner, HttpClient http)
        {
            _partner = partner;
            _http = http;
        }

        public async Task ConfirmAsync(string customerId, Contact contact)
        {
            var metadata = await _partner.AgreementDetails.ByAgreementType("MicrosoftCustomerAgreement").GetAsync();
            var agreement = new Agreement
            {
                DateAgreed = DateTime.UtcNow,
                TemplateId = metadata.Items[0].TemplateId,
                PrimaryContact = contact,
                Type = "MicrosoftCustomerAgreement",
            };
            await _partner.Customers.ById(customerId).Agreements.CreateAsync(agreement);
            await _partner.Customers.ById(customerId).Agreements.CreateAsync(new Agreement { TemplateId = "t", PrimaryContact = contact, Type = "MicrosoftCustomerAgreement" });
        }

        public async Task CheckAsync(string customerId)
        {
            var all = await _partner.Customers[customerId].Agreements.ByAgreementType("MicrosoftCustomerAgreement").GetAsync();
            var rest = await _http.GetAsync($"{PartnerCenter}/customers/{customerId}/agreements?agreementType=MicrosoftCustomerAgreement");
            var templates = await _http.GetStringAsync(PartnerCenter + "/agreements?agreementType=MicrosoftCustomerAgreement");
        }

        public Task<HttpResponseMessage> ConfirmRestAsync(string customerId, string templateId)
        {
            return _http.PostAsJsonAsync($"{PartnerCenter}/customers/{customerId}/agreements", new
            {
                templateId,
                dateAgreed = DateTime.UtcNow,
                type = "MicrosoftCustomerAgreement",
            });
        }
    }
}
