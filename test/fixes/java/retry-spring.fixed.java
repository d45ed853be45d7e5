// fix: retry
package com.contoso.csp.spring;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestTemplate;

@Service
public class PartnerCenterGateway {
    private static final String PC = "https://api.partnercenter.microsoft.com/v1";

    private final RestTemplate restTemplate;

    public PartnerCenterGateway(RestTemplateBuilder builder) {
        this.restTemplate = builder.build();
    }

    public String subscriptions(String customerId) {
        return withPartnerCenterRetry(() -> restTemplate.getForObject(PC + "/customers/{customerId}/subscriptions", String.class, customerId));
    }

    public String order(String customerId, String orderId) {
        ResponseEntity<String> entity = withPartnerCenterRetry(() -> this.restTemplate.getForEntity(PC + "/customers/{c}/orders/{o}", String.class, Map.of("c", customerId, "o", orderId)));
        return entity.getBody();
    }

    public String suspend(String customerId, String subscriptionId) {
        HttpEntity<Map<String, String>> patch = new HttpEntity<>(Map.of("status", "suspended"));
        return withPartnerCenterRetry(() -> restTemplate.exchange(PC + "/customers/{c}/subscriptions/{s}", HttpMethod.PATCH, patch, String.class, customerId, subscriptionId)).getBody();
    }

    /** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then rethrows. */
    private static <T> T withPartnerCenterRetry(Supplier<T> call) {
        final int maxAttempts = 5;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (HttpStatusCodeException e) {
                int status = e.getStatusCode().value();
                if ((status != 429 && status != 503 && status != 504) || attempt >= maxAttempts) {
                    throw e;
                }
                String retryAfter = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getFirst("Retry-After");
                try {
                    Thread.sleep(partnerCenterRetryDelayMillis(attempt, retryAfter));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Partner Center Advisor: Retry-After (seconds or an HTTP date) when the service sends it, else exponential backoff with jitter. */
    private static long partnerCenterRetryDelayMillis(int attempt, String retryAfter) {
        if (retryAfter != null && !retryAfter.trim().isEmpty()) {
            try {
                return Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime when = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Math.max(0, Duration.between(ZonedDateTime.now(), when).toMillis());
                } catch (DateTimeParseException notADate) {
                    // Neither form: back off.
                }
            }
        }
        long backoff = Math.min(30_000L, 1000L << (attempt - 1));
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }
}
