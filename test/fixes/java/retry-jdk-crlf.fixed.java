// fix: retry
package com.contoso.csp.rest;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Partner Center REST calls with java.net.http (JDK 11+). */
public final class PartnerCenterRestClient {
    private static final String API = "https://api.partnercenter.microsoft.com/v1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String token;

    public PartnerCenterRestClient(String token) {
        this.token = token;
    }

    public String subscriptions(String customerId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder()
            .uri(URI.create(API + "/customers/" + customerId + "/subscriptions"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .GET()
            .build();
        HttpResponse<String> response = withPartnerCenterRetry(() -> http.send(request, BodyHandlers.ofString()));
        if (response.statusCode() != 200) {
            throw new IOException("Partner Center answered " + response.statusCode());
        }
        return response.body();
    }

    public String orders(String customerId) throws Exception {
        URI uri = URI.create(API + "/customers/" + customerId + "/orders");
        return withPartnerCenterRetry(() -> http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString())).body();
    }

    public int addOnCount(String customerId, String subscriptionId) throws IOException, InterruptedException {
        HttpResponse<String> response = withPartnerCenterRetry(() -> get(API + "/customers/" + customerId + "/subscriptions/" + subscriptionId + "/addons"));
        return response.body().split("\"offerId\"").length - 1;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        return http.send(request, BodyHandlers.ofString());
    }

    /** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then the last response. */
    private static <T> HttpResponse<T> withPartnerCenterRetry(PartnerCenterRequest<T> request) throws IOException, InterruptedException {
        final int maxAttempts = 5;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<T> response = request.send();
            int status = response.statusCode();
            if ((status != 429 && status != 503 && status != 504) || attempt >= maxAttempts) {
                return response;
            }
            if (response.body() instanceof Closeable) {
                ((Closeable) response.body()).close(); // a streamed body frees its connection
            }
            Thread.sleep(partnerCenterRetryDelayMillis(attempt, response.headers().firstValue("Retry-After").orElse(null)));
        }
    }

    /** A Partner Center request sent with java.net.http, as withPartnerCenterRetry re-sends it. */
    @FunctionalInterface
    private interface PartnerCenterRequest<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
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
