// fix: agreement-type
package com.contoso.agreements;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.agreements.Agreement;
import com.microsoft.store.partnercenter.models.agreements.AgreementMetaData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;

public class AgreementService {
    private static final String PC = "https://api.partnercenter.microsoft.com/v1";
    private final IAggregatePartner partnerOperations;
    private final HttpClient http = HttpClient.newHttpClient();

    public AgreementService(IAggregatePartner partnerOperations) {
        this.partnerOperations = partnerOperations;
    }

    public void confirm(String customerId, String templateId) {
        ResourceCollection<AgreementMetaData> details = partnerOperations.getAgreementDetails().get();
        Agreement agreement = new Agreement();
        agreement.setTemplateId(templateId);
        agreement.setDateAgreed(new Date());
        partnerOperations.getCustomers().byId(customerId).getAgreements().create(agreement);
    }

    public ResourceCollection<Agreement> list(String customerId) {
        return partnerOperations.getCustomers().byId(customerId).getAgreements().get();
    }

    public String rest(String customerId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(PC + "/customers/" + customerId + "/agreements")).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
