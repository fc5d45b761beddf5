using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Driftvy.Web.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Driftvy.Web.Cluster;

/// <summary>
/// One Data Protection key ring for every instance, kept in the shared database (<c>data_protection_keys</c>), under
/// one fixed application name: a sign-in cookie or antiforgery token issued by one instance is read by any other,
/// so a balancer may send a user's requests anywhere. With <c>Security:KeyEncryptionCertificate</c> set, each key is
/// encrypted to that certificate before it is stored (Linux has no DPAPI; a certificate works the same everywhere),
/// so reading the database is not enough to forge a cookie; every instance needs the same certificate. Without it the
/// keys are stored as written: the embedded demo's default, which production (anonymous reading off) refuses unless
/// <c>Security:AllowUnencryptedKeys</c> says so (see <see cref="Security.SecurityOptions.KeysProtected"/>).
/// </summary>
internal static class SharedKeyRing
{
    /// <summary>
    /// Fixed, because the default is the content root path, which differs between hosts and deployments and would
    /// keep instances from reading each other's cookies even with the keys shared.
    /// </summary>
    public const string ApplicationName = "Driftvy";

    public static WebApplicationBuilder AddSharedKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<DriftvyDbContext>();
        var security = builder.Configuration.GetSection(Security.SecurityOptions.SectionName);
        if (security[nameof(Security.SecurityOptions.KeyEncryptionCertificate)] is { Length: > 0 } path)
        {
            var certificate = LoadCertificate(builder.Environment.ContentRootPath, path, security[nameof(Security.SecurityOptions.KeyEncryptionCertificatePassword)]);
            // New keys are encrypted to it; stored keys are decrypted with it (no certificate store is consulted).
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return builder;
    }

    /// <summary>The key-encryption certificate with its private key, or a start-up failure naming the setting.</summary>
    internal static X509Certificate2 LoadCertificate(string contentRoot, string path, string? password)
    {
        var full = Path.GetFullPath(path, contentRoot);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"Security:KeyEncryptionCertificate: '{full}' could not be read as a PKCS#12 file with Security:KeyEncryptionCertificatePassword ({ex.Message})", ex);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"Security:KeyEncryptionCertificate: '{full}' holds no RSA private key; the keys could be encrypted but never read back.");
        }

        return certificate;
    }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        var key = modelBuilder.Entity<DataProtectionKey>();
        key.ToTable("data_protection_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id").ValueGeneratedOnAdd();
        key.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        key.Property(k => k.Xml).HasColumnName("xml");
    }
}
