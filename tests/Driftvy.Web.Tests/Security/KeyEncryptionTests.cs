using Driftvy.Web.Security;
using Driftvy.Web.Tests.Ingestion;
using Driftvy.Web.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Driftvy.Web.Tests.Security;

/// <summary>
/// The Data Protection keys (which seal sign-in cookies) are stored encrypted to a configured certificate, so the
/// database alone does not give them away; production refuses to start with unencrypted keys unless told to.
/// </summary>
public sealed class KeyEncryptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Password = "nyckel-lösen-för-test";

    [Fact]
    public async Task KeyRing_CertificateConfigured_StoredKeysHoldNoPlainKeyAndAnotherInstanceReadsThem()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-keys-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var settings = Production(WriteCertificate(folder));
            string sealedText;
            await using (var first = new DriftvyAppFactory(settings, dataDirectory: Path.Combine(folder, "data")))
            {
                using var admin = await first.CreateClientAsAsync(Roles.Admin);
                Assert.Contains("admin", await admin.GetStringAsync("/auth/me", Ct), StringComparison.Ordinal);
                sealedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("hemlig");

                var stored = await first.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT xml AS \"Value\" FROM data_protection_keys").ToListAsync(Ct), Ct);

                Assert.NotEmpty(stored);
                Assert.All(stored, xml =>
                {
                    Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
                    Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
                    Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
                    Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
                });
            }

            // A second instance (or a restart) with the same certificate reads the stored keys back.
            await using var second = new DriftvyAppFactory(settings, dataDirectory: Path.Combine(folder, "data"));
            _ = second.Server;
            Assert.Equal("hemlig", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await DeleteAsync(folder);
        }
    }

    /// <summary>
    /// Removes the test's folder; a stopping host's last background step may still touch its database files for a
    /// moment (the delete then finds the folder not empty), so it tries a few times and leaves a temporary folder at worst.
    /// </summary>
    private static async Task DeleteAsync(string folder)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(200);
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Start_ProductionWithoutACertificate_RefusedNamingTheSetting()
    {
        await using var app = new DriftvyAppFactory(new Dictionary<string, string?>
        {
            ["Security:AnonymousRead"] = "false",
            ["Security:AllowUnencryptedKeys"] = "false",
        });

        var refused = Assert.ThrowsAny<Exception>(() => app.Server);

        Assert.Contains("Security:KeyEncryptionCertificate", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CertificateWithTheWrongPassword_RefusedNamingTheSetting()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "driftvy-keys-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var settings = Production(WriteCertificate(folder));
            settings["Security:KeyEncryptionCertificatePassword"] = "fel";
            await using var app = new DriftvyAppFactory(settings);

            var refused = Assert.ThrowsAny<Exception>(() => app.Server);

            Assert.Contains("Security:KeyEncryptionCertificate", refused.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string?> Production(string certificate) => new()
    {
        ["Security:AnonymousRead"] = "false",
        ["Security:AllowUnencryptedKeys"] = "false",
        ["Security:KeyEncryptionCertificate"] = certificate,
        ["Security:KeyEncryptionCertificatePassword"] = Password,
    };

    private static string WriteCertificate(string folder) => KeyCertificates.Write(folder, Password);
}
