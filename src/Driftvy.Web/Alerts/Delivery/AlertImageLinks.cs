using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Driftvy.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Alerts.Delivery;

/// <summary>Alert pictures served to Teams. Section <c>Alerts:Images</c>.</summary>
public sealed class AlertImageOptions
{
    public const string SectionName = "Alerts:Images";

    /// <summary>How long a picture's link in a Teams card answers after it was sent.</summary>
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Secret the links are signed with (HMAC-SHA256, at least 32 characters; <c>env:NAME</c> reads a variable). Empty:
    /// the links are sealed with the Data Protection key ring, which every instance on the same database shares.
    /// </summary>
    public string SigningKey { get; set; } = string.Empty;

    internal static bool IsValid(AlertImageOptions o) =>
        o.ValidFor >= TimeSpan.FromMinutes(1) && o.ValidFor <= TimeSpan.FromDays(366) &&
        (string.IsNullOrEmpty(o.SigningKey) || ConfiguredSecret.NamesVariable(o.SigningKey) || o.SigningKey.Length >= 32);
}

/// <summary>What a picture link's check found.</summary>
internal enum AlertImageLinkCheck
{
    Valid,

    /// <summary>The signature does not match the id and expiry (tampered, or not ours): answered as not found.</summary>
    BadSignature,

    /// <summary>A genuine link whose time is up: answered as forbidden.</summary>
    Expired,
}

/// <summary>
/// Signed, expiring links to alert pictures: <c>{Alerts:PublicBaseUrl}/alerts/images/{id}.png?exp=…&amp;sig=…</c>, the
/// signature over the id and the expiry (Unix seconds). A Teams card cannot carry a picture itself and Teams fetches
/// it without signing in, so the link is the permission: it names one picture and stops answering after
/// <see cref="AlertImageOptions.ValidFor"/>.
/// </summary>
internal sealed class AlertImageLinks(IOptions<AlertImageOptions> images, IOptions<AlertOptions> alerts, IDataProtectionProvider protection, TimeProvider time)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Driftvy.Alerts.ImageLinks.v1");

    /// <summary>The absolute link to picture <paramref name="id"/>, valid from now; null without <c>Alerts:PublicBaseUrl</c>.</summary>
    public Uri? LinkTo(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (string.IsNullOrEmpty(alerts.Value.PublicBaseUrl))
        {
            return null;
        }

        var expires = (time.GetUtcNow() + images.Value.ValidFor).ToUnixTimeSeconds();
        var exp = expires.ToString(CultureInfo.InvariantCulture);
        var path = $"alerts/images/{id}.png?exp={exp}&sig={Sign(id, exp)}";
        return new Uri(new Uri(alerts.Value.PublicBaseUrl.TrimEnd('/') + "/"), path);
    }

    /// <summary>Checks a link's parts against each other and the clock.</summary>
    public AlertImageLinkCheck Check(string id, string? exp, string? sig)
    {
        if (string.IsNullOrEmpty(exp) || string.IsNullOrEmpty(sig) || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) ||
            !Verify(id, exp, sig))
        {
            return AlertImageLinkCheck.BadSignature;
        }

        return time.GetUtcNow().ToUnixTimeSeconds() > expires ? AlertImageLinkCheck.Expired : AlertImageLinkCheck.Valid;
    }

    private static string Message(string id, string exp) => id + "." + exp;

    private string Sign(string id, string exp) => Key() is { } key
        ? WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Message(id, exp))))
        : WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(Message(id, exp))));

    private bool Verify(string id, string exp, string sig)
    {
        byte[] given;
        try
        {
            given = WebEncoders.Base64UrlDecode(sig);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes(Message(id, exp));
        if (Key() is { } key)
        {
            return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, expected), given);
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(_protector.Unprotect(given), expected);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private byte[]? Key()
    {
        var configured = images.Value.SigningKey;
        if (string.IsNullOrEmpty(configured))
        {
            return null;
        }

        // A key written in the settings is checked for its length on start; one from the environment here.
        return ConfiguredSecret.Resolve(configured) is { Length: >= 32 } secret
            ? Encoding.UTF8.GetBytes(secret)
            : throw new InvalidOperationException($"Alerts:Images:SigningKey: environment variable {ConfiguredSecret.VariableName(configured)} is not set or shorter than 32 characters.");
    }
}
