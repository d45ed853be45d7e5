package com.contoso.billing;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.models.agreements.Agreement;
import com.microsoft.store.partnercenter.models.agreements.AgreementMetaData;
import com.microsoft.store.partnercenter.models.agreements.Contact;
import java.util.Date;

/** Confirms customers' acceptance of the Microsoft Customer Agreement. */
public class AgreementService {
    private final IAggregatePartner partnerOperations;

    public AgreementService(IAggregatePartner partnerOperations) {
        this.partnerOperations = partnerOperations;
    }

    public void confirm(String customerId, Contact contact) {
        AgreementMetaData mca = partnerOperations.getAgreementDetails().byAgreementType("MicrosoftCustomerAgreement").get().getItems().iterator().next();
        Agreement agreement = new Agreement();
        agreement.setDateAgreed(new Date());
        agreement.setPrimaryContact(contact);
        agreement.setTemplateId(mca.getTemplateId());
        partnerOperations.getCustomers().byId(customerId).getAgreements().create(agreement);
    }

    public boolean accepted(String customerId) {
        return partnerOperations.getCustomers().byId(customerId).getAgreements().get().getTotalCount() > 0;
    }

    public String upgradeStatus(String upgradeId, Object request) {
        return partnerOperations.getProductUpgrades().byId(upgradeId).checkStatus(request).toString();
    }
}
