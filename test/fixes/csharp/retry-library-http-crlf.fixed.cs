// fix: retry-library
using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace Contoso.Reporting;

public class PartnerCenterClient
{
	private const string BaseUrl = "https://api.partnercenter.microsoft.com/v1";
	private static readonly HttpClient Http = new();

	/// <summary>Partner Center Advisor: retries throttled Partner Center calls (HTTP 429), waiting Retry-After, else exponential backoff with jitter (Polly).</summary>
	private static readonly ResiliencePipeline PartnerCenterRetryPipeline = new ResiliencePipelineBuilder()
		.AddRetry(new RetryStrategyOptions
		{
			ShouldHandle = new PredicateBuilder()
				.Handle<HttpRequestException>()
				.HandleResult(result => result is HttpResponseMessage response
					&& ((int)response.StatusCode == 429 || response.StatusCode == HttpStatusCode.ServiceUnavailable || response.StatusCode == HttpStatusCode.GatewayTimeout)),
			MaxRetryAttempts = 5,
			BackoffType = DelayBackoffType.Exponential,
			UseJitter = true,
			Delay = TimeSpan.FromSeconds(1),
			MaxDelay = TimeSpan.FromSeconds(30),
			DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome switch
			{
				{ Result: HttpResponseMessage response } => response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow),
				_ => null,
			}),
		})
		.Build();

	public async Task<string> GetTransfersAsync(string customerId)
	{
		using var response = await PartnerCenterRetryPipeline.ExecuteAsync(async ct => await Http.GetAsync($"{BaseUrl}/customers/{customerId}/transfers"));
		response.EnsureSuccessStatusCode();
		return await response.Content.ReadAsStringAsync();
	}

	// One HttpClient call: once the pipeline (AddRetry) is in the file, its HttpClient calls count as retried.
}
