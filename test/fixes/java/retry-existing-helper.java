// fix: retry
package com.contoso.csp.orders;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.exception.PartnerException;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.orders.Order;
import com.microsoft.store.partnercenter.models.subscriptions.Subscription;
import com.microsoft.store.partnercenter.models.subscriptions.SubscriptionProvisioningStatus;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Order counts; the retry helper is already in the class (added by the pc-retry snippet). */
public class OrderReport {
    private static final Logger LOG = LoggerFactory.getLogger(OrderReport.class);

    private final IAggregatePartner partnerOperations;

    public OrderReport(IAggregatePartner partnerOperations) {
        this.partnerOperations = partnerOperations;
    }

    public List<String> activeOfferIds(String customerId) {
        ResourceCollection<Subscription> subscriptions = withPartnerCenterRetry(() -> partnerOperations.getCustomers().byId(customerId).getSubscriptions().get());
        return subscriptions.getItems().stream()
            .filter(s -> "active".equalsIgnoreCase(s.getStatus().toString()))
            .map(Subscription::getOfferId)
            .collect(Collectors.toList());
    }

    public Subscription setQuantity(String customerId, String subscriptionId, int quantity) {
        Subscription subscription = withPartnerCenterRetry(() -> partnerOperations.getCustomers().byId(customerId).getSubscriptions().byId(subscriptionId).get());
        subscription.setQuantity(quantity);
        LOG.info("Updating {} to {} seats", subscriptionId, quantity);
        return withPartnerCenterRetry(() -> this.partnerOperations.getCustomers()
            .byId(customerId)
            .getSubscriptions()
            .byId(subscriptionId)
            .patch(subscription));
    }

    public long orderCount(String customerId) {
        return partnerOperations.getCustomers().byId(customerId).getOrders().get().getTotalCount();
    }

    /** Partner Center Advisor: retries a throttled Partner Center call, waiting the delay the service asks for, else exponential backoff with jitter; at most 5 calls, then rethrows. */
    private static <T> T withPartnerCenterRetry(Supplier<T> call) {
        final int maxAttempts = 5;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (PartnerException e) {
                // The SDK reports HTTP 429 as SERVER_ERROR and 503 as SERVER_BUSY; by name: categories differ between versions.
                String category = e.getErrorCategory() == null ? "" : e.getErrorCategory().name();
                boolean throttled = category.equals("SERVER_ERROR") || category.equals("SERVER_BUSY") || category.startsWith("TOO_MANY")
                        || String.valueOf(e.getMessage()).contains("429");
                if (!throttled || attempt >= maxAttempts) {
                    throw e;
                }
                // The SDK does not expose Retry-After; the service repeats it in the message ("Try again in 57 seconds").
                Matcher tryAgain = Pattern.compile("(?i)try again in (\\d+) seconds").matcher(String.valueOf(e.getMessage()));
                try {
                    Thread.sleep(partnerCenterRetryDelayMillis(attempt, tryAgain.find() ? tryAgain.group(1) : null));
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
