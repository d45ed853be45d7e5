// fix: retry
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Exceptions;
using Microsoft.Store.PartnerCenter.Models.Subscriptions;

namespace Contoso.Billing
{
    public sealed class CustomerInventory
    {
        private const string BaseUrl = "https://api.partnercenter.microsoft.com/v1";
        private readonly IAggregatePartner _partnerOperations;
        private readonly HttpClient _http;

        public CustomerInventory(IAggregatePartner partnerOperations, HttpClient http)
        {
            _partnerOperations = partnerOperations;
            _http = http;
        }

        public async Task<int> CountSubscriptionsAsync(string customerId)
        {
            var subscriptions = await WithPartnerCenterRetryAsync(() => _partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync()).ConfigureAwait(false);
            return subscriptions.TotalCount;
        }

        public Subscription GetSubscription(string customerId, string subscriptionId)
        {
            return WithPartnerCenterRetry(() => _partnerOperations.Customers[customerId].Subscriptions[subscriptionId].Get());
        }

        public Task<HttpResponseMessage> TransfersAsync(string customerId)
        {
            return WithPartnerCenterRetryAsync(() => _http.GetAsync($"{BaseUrl}/customers/{customerId}/transfers"));
        }

        /// <summary>Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter.</summary>
        private static async Task<T> WithPartnerCenterRetryAsync<T>(Func<Task<T>> call, int maxAttempts = 5)
        {
            for (var attempt = 1; ; attempt++)
            {
                TimeSpan? retryAfter;
                try
                {
                    var result = await call().ConfigureAwait(false);
                    if (result is not HttpResponseMessage response || attempt >= maxAttempts
                            || (response.StatusCode != (HttpStatusCode)429 && response.StatusCode != HttpStatusCode.ServiceUnavailable && response.StatusCode != HttpStatusCode.GatewayTimeout))
                    {
                        return result;
                    }
                    retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow);
                    response.Dispose();
                }
                catch (PartnerException e) when (e.ErrorCategory == PartnerErrorCategory.TooManyRequests && attempt < maxAttempts)
                {
                    retryAfter = e.RetryAfter;
                }
                await Task.Delay(PartnerCenterRetryDelay(attempt, retryAfter)).ConfigureAwait(false);
            }
        }

        /// <summary>Partner Center Advisor: the same for synchronous SDK calls.</summary>
        private static T WithPartnerCenterRetry<T>(Func<T> call, int maxAttempts = 5)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return call();
                }
                catch (PartnerException e) when (e.ErrorCategory == PartnerErrorCategory.TooManyRequests && attempt < maxAttempts)
                {
                    System.Threading.Thread.Sleep(PartnerCenterRetryDelay(attempt, e.RetryAfter));
                }
            }
        }

        private static TimeSpan PartnerCenterRetryDelay(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter is { } wait && wait > TimeSpan.Zero) return wait;
            var seconds = Math.Min(30, Math.Pow(2, attempt - 1)) * (0.5 + Random.Shared.NextDouble() / 2);
            return TimeSpan.FromSeconds(seconds);
        }
    }
}
