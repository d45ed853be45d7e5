// fix: retry
package com.contoso.csp.client;

import java.io.IOException;
import java.util.List;
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
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("Unexpected status " + response.code());
      }
      return response.body().string();
    }
  }

  public String updateQuantity(String customerId, String subscriptionId, int quantity) throws IOException {
    RequestBody body = RequestBody.create("{\"quantity\":" + quantity + "}", JSON);
    Request request = new Request.Builder().url(BASE_URL + "customers/" + customerId + "/subscriptions/" + subscriptionId).patch(body).build();
    try (Response response = client.newCall(request).execute()) {
      return response.body().string();
    }
  }

  public String transfers(String customerId) throws IOException {
    return client.newCall(new Request.Builder().url(BASE_URL + "customers/" + customerId + "/transfers").get().build()).execute().body().string();
  }
}
