// fix: retry-library
using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Exceptions;
using Microsoft.Store.PartnerCenter.Models.Orders;
using Microsoft.Store.PartnerCenter.Models.Subscriptions;
using Polly;
using Polly.Retry;

namespace Contoso.Billing
{
    public sealed class SubscriptionService
    {
        private readonly IAggregatePartner _partnerOperations;

        /// <summary>Partner Center Advisor: retries throttled Partner Center calls (HTTP 429), waiting Retry-After, else exponential backoff with jitter (Polly).</summary>
        private static readonly ResiliencePipeline PartnerCenterRetryPipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<PartnerException>(e => e.ErrorCategory == PartnerErrorCategory.TooManyRequests),
                MaxRetryAttempts = 5,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome switch
                {
                    { Exception: PartnerException e } => e.RetryAfter,
                    _ => null,
                }),
            })
            .Build();

        public SubscriptionService(IAggregatePartner partnerOperations)
        {
            _partnerOperations = partnerOperations;
        }

        public async Task<int> CountSubscriptionsAsync(string customerId, CancellationToken cancellationToken)
        {
            var subscriptions = await PartnerCenterRetryPipeline.ExecuteAsync(async ct => await _partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return subscriptions.TotalCount;
        }

        public Subscription GetSubscription(string customerId, string subscriptionId)
        {
            return PartnerCenterRetryPipeline.Execute(() => _partnerOperations.Customers[customerId].Subscriptions[subscriptionId].Get());
        }

        public Task<Order> GetOrderAsync(string customerId, string orderId)
        {
            var customer = _partnerOperations.Customers.ById(customerId);
            return PartnerCenterRetryPipeline.ExecuteAsync(async ct => await customer.Orders.ById(orderId).GetAsync()).AsTask();
        }
    }
}
