namespace Driftvy.Web.Security;

/// <summary>Until display tokens are configured, none is valid.</summary>
internal sealed class NoDisplayTokens : IDisplayTokenValidator
{
    public Task<string?> BoardForAsync(string token, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>Until API keys are configured, none is valid.</summary>
internal sealed class NoApiKeys : IApiKeyValidator
{
    public Task<string?> SourceForAsync(string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
