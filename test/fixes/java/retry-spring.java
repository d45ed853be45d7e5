// fix: retry
package com.contoso.csp.spring;

import java.util.Map;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestTemplate;

@Service
public class PartnerCenterGateway {
    private static final String PC = "https://api.partnercenter.microsoft.com/v1";

    private final RestTemplate restTemplate;

    public PartnerCenterGateway(RestTemplateBuilder builder) {
        this.restTemplate = builder.build();
    }

    public String subscriptions(String customerId) {
        return restTemplate.getForObject(PC + "/customers/{customerId}/subscriptions", String.class, customerId);
    }

    public String order(String customerId, String orderId) {
        ResponseEntity<String> entity = this.restTemplate.getForEntity(PC + "/customers/{c}/orders/{o}", String.class, Map.of("c", customerId, "o", orderId));
        return entity.getBody();
    }

    public String suspend(String customerId, String subscriptionId) {
        HttpEntity<Map<String, String>> patch = new HttpEntity<>(Map.of("status", "suspended"));
        return restTemplate.exchange(PC + "/customers/{c}/subscriptions/{s}", HttpMethod.PATCH, patch, String.class, customerId, subscriptionId).getBody();
    }
}
