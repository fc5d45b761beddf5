using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Driftvy.Web.Privacy;

/// <summary>Privacy settings. Section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>
    /// Secret key for hashing caller numbers (HMAC-SHA256), from configuration or the environment, never
    /// the repository. When empty, a random key is created once in the data folder (<c>caller-hash.key</c>).
    /// </summary>
    public string CallerHashKey { get; set; } = "";
}

/// <summary>
/// Turns a caller's number into what Driftvy may keep: a keyed hash (the same caller gives the same
/// hash, but the number cannot be recovered without the key) and a masked form for call-back lists
/// (<c>070-*** ** 67</c>). The number itself is never stored.
/// </summary>
public sealed class CallerIdentity
{
    private readonly byte[] _key;

    public CallerIdentity(IOptions<PrivacyOptions> options, IOptions<Storage.StorageOptions> storage, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(environment);
        _key = string.IsNullOrEmpty(options.Value.CallerHashKey)
            ? LoadOrCreateKey(storage.Value.DataDirectory, environment.ContentRootPath)
            : Encoding.UTF8.GetBytes(options.Value.CallerHashKey);
    }

    internal CallerIdentity(byte[] key) => _key = key;

    public string Hash(string number) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Normalise(number))));

    /// <summary>Keeps the area prefix and the last two digits: enough for a team leader to tell calls apart.</summary>
    public static string Mask(string number)
    {
        var digits = Normalise(number);
        if (digits.StartsWith("46", StringComparison.Ordinal))
        {
            digits = "0" + digits[2..];
        }

        if (digits.Length < 6)
        {
            return new string('*', digits.Length);
        }

        return $"{digits[..3]}-*** ** {digits[^2..]}";
    }

    private static string Normalise(string number) => new(number.Where(char.IsAsciiDigit).ToArray());

    private static byte[] LoadOrCreateKey(string dataDirectory, string contentRoot)
    {
        var folder = Path.IsPathRooted(dataDirectory) ? dataDirectory : Path.Combine(contentRoot, dataDirectory);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "caller-hash.key");
        if (File.Exists(path))
        {
            Infrastructure.OwnerOnlyFiles.Restrict(path);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(32);
        Infrastructure.OwnerOnlyFiles.CreateWithText(path, Convert.ToBase64String(key));
        return key;
    }
}
