// fix: retry
package com.contoso.csp.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Partner Center over OkHttp, two-space indentation. */
public class PartnerCenterOkHttp {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final String BASE_URL = "https://api.partnercenter.microsoft.com/v1/";

  private final OkHttpClient client;

  public PartnerCenterOkHttp(OkHttpClient client) {
    this.client = client;
  }

  public String subscriptions(String customerId) throws IOException {
    Request request = new Request.Builder()
        .url(BASE_URL + "customers/" + customerId + "/subscriptions")
        .addHeader("Accept", "application/json")
        .build();
    try (Response response = withPartnerCenterRetry(() -> client.newCall(request).execute())) {
      if (!response.isSuccessful()) {
        throw new IOException("Unexpected status " + response.code());
      }
      return response.body().string();
    }
  }

  public String updateQuantity(String customerId, String subscriptionId, int quantity) throws IOException {
    RequestBody body = RequestBody.create("{\"quantity\":" + quantity + "}", JSON);
    Request request = new Request.Builder().url(BASE_URL + "customers/" + customerId + "/subscriptions/" + subscriptionId).patch(body).build();
    try (Response response = withPartnerCenterRetry(() -> client.newCall(request).execute())) {
      return response.body().string();
    }
  }

  public String transfers(String customerId) throws IOException {
    return withPartnerCenterRetry(() -> client.newCall(new Request.Builder().url(BASE_URL + "customers/" + customerId + "/transfers").get().build()).execute()).body().string();
  }

  /** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then the last response. */
  private static Response withPartnerCenterRetry(PartnerCenterCall call) throws IOException {
    final int maxAttempts = 5;
    for (int attempt = 1; ; attempt++) {
      Response response = call.execute();
      int status = response.code();
      if ((status != 429 && status != 503 && status != 504) || attempt >= maxAttempts) {
        return response;
      }
      long delayMillis = partnerCenterRetryDelayMillis(attempt, response.header("Retry-After"));
      response.close(); // frees the connection for the next attempt
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry a Partner Center call");
      }
    }
  }

  /** A Partner Center call made with OkHttp, as withPartnerCenterRetry makes it again. */
  @FunctionalInterface
  private interface PartnerCenterCall {
    Response execute() throws IOException;
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
