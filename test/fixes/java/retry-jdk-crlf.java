// fix: retry
package com.contoso.csp.rest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

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
        HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Partner Center answered " + response.statusCode());
        }
        return response.body();
    }

    public String orders(String customerId) throws Exception {
        URI uri = URI.create(API + "/customers/" + customerId + "/orders");
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString()).body();
    }

    public int addOnCount(String customerId, String subscriptionId) throws IOException, InterruptedException {
        HttpResponse<String> response = get(API + "/customers/" + customerId + "/subscriptions/" + subscriptionId + "/addons");
        return response.body().split("\"offerId\"").length - 1;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        return http.send(request, BodyHandlers.ofString());
    }
}
